#!/usr/bin/env python3
"""Runs the command blocks of a Markdown tour (README.md) as a user types them, and checks them.

    python3 test/docs/tour.py --binary build/tessera --doc README.md [--keep]

A copy of the source tree (without build outputs) is made in a fresh temporary folder, with
`build/tessera` (and `build/tessera-sqlrun`) linking to the binary under test, then `make demo`'s
script builds the demo there. Every ```sh block of the document runs in order in ONE bash session
(so `export` carries over), from that folder, as a user with no $USER, $TESSERA_USER,
$TESSERA_HOME or $TESSERA_SERVER (a container), with $EDITOR doing nothing. A block that calls
`make` is the test itself and is left out.

Checks, per command (a line, or several when a quoted string spans lines):
- the exit code: 0, or N when the command's comment says `exit N`;
- the key lines of KEY_LINES below, for a command that should succeed and starts with one of
  its prefixes (the longest wins).
Ports: 8080 and 8081 are replaced by free ports of 127.0.0.1. A `serve` runs in the background
(as a user would in another terminal) and the next command waits for its /healthz.
"""
import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile

# Command prefix -> (regexes the output must match, regexes it must not match).
KEY_LINES = {
    'tessera search "order revenue"': ([r"orders\.order_facts"], []),
    "tessera get domains": ([r"orders", r"users"], []),
    "tessera describe orders.order_facts": ([r"urn:tessera:orders:order_facts"], []),
    'tessera query "select * from users.customers limit 3"': ([r"customer_id"], [r"@harborpine|@example"]),
    "tessera role grant ann owner": ([r"ann"], []),
    "tessera access approve": ([r"grant"], []),
    "tessera issue ack": ([r"acknowledged issue #[0-9]+ [(]orders[.]order_facts", r"resolved issue"], []),
    "tessera plan examples/ecommerce": ([r"orders\.returns"], []),
    "tessera apply examples/ecommerce": ([r"revision 2"], []),
    "tessera export orders.order_facts --format odcs": ([r"apiVersion: v3\.1\.0"], []),
    "tessera policy propose": ([r"proposal 1"], []),
    "curl ": ([r'"order_facts"'], []),
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def blocks(markdown):
    """The ```sh blocks, each as (line number of its first line, its lines)."""
    out, current, start = [], None, 0
    for number, line in enumerate(markdown.split("\n"), 1):
        if current is None and line.strip() == "```sh":
            current, start = [], number + 1
        elif current is not None and line.strip() == "```":
            out.append((start, current))
            current = None
        elif current is not None:
            current.append(line)
    return out


def complete(text):
    """True when `text` is a complete bash command (no open quote or continuation)."""
    if text.rstrip().endswith("\\"):
        return False
    r = subprocess.run(["bash", "-n"], input=text, capture_output=True, text=True)
    return "unexpected end of file" not in r.stderr and "unexpected EOF" not in r.stderr


def commands(start, lines):
    """Splits a block into commands: (line number, text)."""
    out, buf, first = [], [], 0
    for i, line in enumerate(lines):
        if not buf and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if not buf:
            first = start + i
        buf.append(line)
        text = "\n".join(buf)
        if complete(text):
            out.append((first, text))
            buf = []
    if buf:
        out.append((first, "\n".join(buf)))
    return out


def comment_of(text):
    """The trailing comment of the command's last line (outside quotes), or ''."""
    last = text.split("\n")[-1]
    quote = None
    for i, ch in enumerate(last):
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "#" and (i == 0 or last[i - 1] in " \t"):
            return last[i + 1:]
    return ""


def quote_sh(s):
    return "'" + s.replace("'", "'\\''") + "'"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", required=True)
    ap.add_argument("--doc", required=True)
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    source = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    binary = os.path.realpath(a.binary)
    doc = os.path.join(source, a.doc)
    work = tempfile.mkdtemp(prefix="tessera-tour.")
    try:
        return run(source, binary, doc, work)
    finally:
        if a.keep:
            print("kept " + work)
        else:
            shutil.rmtree(work, ignore_errors=True)


def run(source, binary, doc, work):
    tree = os.path.join(work, "tree")
    ignore = shutil.ignore_patterns("build", "build-*", "node_modules", ".git", "data")
    shutil.copytree(source, tree, ignore=ignore, symlinks=True)
    os.makedirs(os.path.join(tree, "build"))
    for name in ("tessera", "tessera-sqlrun"):
        target = os.path.join(os.path.dirname(binary), name)
        if os.path.exists(target):
            os.symlink(target, os.path.join(tree, "build", name))
    home = os.path.join(work, "home")
    os.makedirs(home)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("TESSERA_") and k not in ("USER", "LOGNAME", "EDITOR", "VISUAL")}
    env.update({"HOME": home, "EDITOR": "true", "TERM": "dumb", "NO_COLOR": "1"})
    # The demo as `make demo` builds it (its script, on the binary under test).
    # (At a tenth of its size: the tour checks behaviour, not figures.)
    demo = subprocess.run(["bash", "scripts/demo.sh"], cwd=tree, env=dict(env, DEMO_SCALE="0.1"),
                          capture_output=True, text=True)
    if demo.returncode != 0:
        print(demo.stdout[-3000:] + demo.stderr[-3000:])
        print(f"FAIL: scripts/demo.sh exited {demo.returncode}")
        return 1

    ports = {"8080": str(free_port()), "8081": str(free_port())}
    script = ["set +e", "fails=0", "bg_pids=()",
              "wait_health() { for _ in $(seq 1 300); do curl -sf \"http://127.0.0.1:$1/healthz\" >/dev/null && return 0; sleep 0.1; done; echo 'FAIL: the server did not answer /healthz'; fails=$((fails+1)); }",
              "check() {  # line, expected exit, actual exit, output file, must (|-joined), must-not",
              "  if [ \"$3\" -ne \"$2\" ]; then echo \"FAIL: README.md:$1: exit $3, expected $2\"; fails=$((fails+1)); fi",
              "  local re; IFS=$'\\x1f' read -r -a must <<<\"$5\"; for re in \"${must[@]}\"; do [ -z \"$re\" ] && continue;"
              " grep -Eq -- \"$re\" \"$4\" || { echo \"FAIL: README.md:$1: output lacks /$re/\"; fails=$((fails+1)); }; done",
              "  IFS=$'\\x1f' read -r -a mustnot <<<\"$6\"; for re in \"${mustnot[@]}\"; do [ -z \"$re\" ] && continue;"
              " grep -Eq -- \"$re\" \"$4\" && { echo \"FAIL: README.md:$1: output shows /$re/\"; fails=$((fails+1)); }; done",
              "}"]
    count = 0
    with open(doc) as f:
        markdown = f.read()
    for start, lines in blocks(markdown):
        if any(re.match(r"\s*make\b", l) for l in lines):
            continue
        for line, text in commands(start, lines):
            for old, new in ports.items():
                text = text.replace(old, new)
            comment = comment_of(text)
            m = re.search(r"\bexit (\d+)", comment)
            want = int(m.group(1)) if m else 0
            stripped = text.strip()
            serve = re.match(r"^(\S*tessera) serve\b.*?--listen 127\.0\.0\.1:(\d+)", stripped)
            must, mustnot = [], []
            matches = [p for p in KEY_LINES if stripped.startswith(p)]
            if matches and want == 0:
                must, mustnot = KEY_LINES[max(matches, key=len)]
            count += 1
            script.append(f"echo {quote_sh('$ ' + stripped.split(chr(10))[0])}")
            if serve:
                body = stripped[: len(stripped) - len(comment) - 1] if comment else stripped
                body = body.rstrip().rstrip("&").rstrip()
                script.append(f"{body} >$TOUR_OUT/serve.{line}.log 2>&1 &")
                script.append("bg_pids+=($!)")
                script.append(f"wait_health {serve.group(2)}")
                continue
            script.append(f"{{\n{text}\n}} >$TOUR_OUT/out.{line} 2>&1")
            script.append(f"rc=$?; cat $TOUR_OUT/out.{line} | head -60")
            script.append(f"check {line} {want} $rc $TOUR_OUT/out.{line} {quote_sh(chr(31).join(must))} {quote_sh(chr(31).join(mustnot))}")
    script.append("for p in \"${bg_pids[@]}\"; do kill $p 2>/dev/null; wait $p 2>/dev/null; done")
    script.append("exit $fails")
    out_dir = os.path.join(work, "out")
    os.makedirs(out_dir)
    env["TOUR_OUT"] = out_dir
    path = os.path.join(work, "tour.sh")
    with open(path, "w") as f:
        f.write("\n".join(script) + "\n")
    r = subprocess.run(["bash", path], cwd=tree, env=env, stdin=subprocess.DEVNULL)
    if r.returncode != 0:
        print(f"FAIL: {r.returncode} check(s) of {count} commands of {os.path.basename(doc)} failed")
        return 1
    print(f"ok: {count} commands of {os.path.basename(doc)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
