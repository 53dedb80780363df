// tessera issue open|list|show|ack|resolve|comment: the quality-issue queue of the mesh. Consumers
// report problems against a product (a port, a column); runs open an issue when a check fails and
// resolve it when the check passes again; each domain has a time to fix (docs/governance.md).

#include <chrono>
#include <iostream>

#include "cli/context.h"
#include "cli/identity.h"
#include "common/text.h"

namespace tessera::cli {
namespace {

int64_t NowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

bool Overdue(const store::IssueRecord& i, int64_t now) { return i.state != "resolved" && i.due_at_ms < now; }

// "domain.product.port.column", as much of it as the issue names.
std::string Where(const store::IssueRecord& i) {
    std::string w = i.product;
    if (!i.port.empty()) w += "." + i.port;
    if (!i.column.empty()) w += "." + i.column;
    if (!i.check.empty()) w += " (check " + i.check + ")";
    return w;
}

nlohmann::ordered_json IssueToJson(const store::IssueRecord& i, int64_t now) {
    nlohmann::ordered_json j;
    j["id"] = i.id;
    j["product"] = i.product;
    j["domain"] = i.domain;
    if (!i.port.empty()) j["port"] = i.port;
    if (!i.column.empty()) j["column"] = i.column;
    if (!i.check.empty()) j["check"] = i.check;
    j["origin"] = i.origin;
    j["title"] = i.title;
    if (!i.description.empty()) j["description"] = i.description;
    j["state"] = i.state;
    j["overdue"] = Overdue(i, now);
    j["opened_by"] = i.opened_by;
    j["opened_at"] = FormatTime(i.opened_at_ms);
    j["due_at"] = FormatTime(i.due_at_ms);
    if (!i.acknowledged_by.empty()) {
        j["acknowledged_by"] = i.acknowledged_by;
        j["acknowledged_at"] = FormatTime(i.acknowledged_at_ms);
    }
    if (i.state == "resolved") {
        j["resolved_by"] = i.resolved_by;
        j["resolved_at"] = FormatTime(i.resolved_at_ms);
        if (!i.resolution.empty()) j["resolution"] = i.resolution;
    }
    if (i.opened_run) j["opened_run"] = i.opened_run;
    if (i.last_run) j["last_run"] = i.last_run;
    if (i.resolved_run) j["resolved_run"] = i.resolved_run;
    return j;
}

// "12" or "#12"; kInvalidArgument otherwise.
Result<int64_t> ParseId(const std::string& text) {
    std::string digits = !text.empty() && text[0] == '#' ? text.substr(1) : text;
    if (digits.empty() || digits.size() > 18 || digits.find_first_not_of("0123456789") != std::string::npos) {
        return InvalidArgument("expected an issue number such as 12 or #12, found \"" + text + "\"");
    }
    return std::stoll(digits);
}

struct IssueOptions {
    std::string name;  // open: the product
    std::string title, description, port, column;
    std::string user;  // --as
    std::string id;
    std::string note;
    std::string text;
    std::string product, domain, state;
    bool overdue = false;
};

std::string UserOf(const IssueOptions& o) { return o.user.empty() ? Context::Author() : o.user; }

void PrintIssue(const store::IssueRecord& i, const std::vector<store::IssueComment>& comments, int64_t now) {
    std::cout << "#" << i.id << " " << i.title << "\n";
    auto field = [](const char* label, const std::string& value) {
        if (!value.empty()) std::printf("%-13s %s\n", label, value.c_str());
    };
    field("Against:", Where(i));
    field("State:", i.state + (Overdue(i, now) ? " (overdue)" : ""));
    field("Opened:", FormatTime(i.opened_at_ms) + " by " + i.opened_by +
                             (i.origin == "check" ? " (run #" + std::to_string(i.opened_run) + ")" : ""));
    field("Due:", FormatTime(i.due_at_ms));
    if (i.last_run && i.last_run != i.opened_run) field("Still failing:", "run #" + std::to_string(i.last_run));
    if (!i.acknowledged_by.empty()) field("Acknowledged:", FormatTime(i.acknowledged_at_ms) + " by " + i.acknowledged_by);
    if (i.state == "resolved") {
        field("Resolved:", FormatTime(i.resolved_at_ms) + " by " + i.resolved_by + (i.resolution.empty() ? "" : ": " + i.resolution));
    }
    field("Description:", i.description);
    if (!comments.empty()) {
        std::cout << "\nComments:\n";
        for (const auto& c : comments) std::cout << "  " << FormatTime(c.created_at_ms) << " " << c.author << ": " << c.text << "\n";
    }
}

int RunOpen(Context& ctx, const IssueOptions& o) {
    auto cat = ctx.OpenCatalog(false);
    if (!cat) return ctx.exit_code;
    store::IssueRecord draft;
    draft.product = o.name;
    draft.port = o.port;
    draft.column = o.column;
    draft.title = o.title;
    draft.description = o.description;
    draft.opened_by = UserOf(o);
    auto issue = cat->OpenIssue(draft);
    if (!issue.ok()) return ctx.Fail(issue.status());
    if (ctx.Structured()) ctx.PrintStructured(IssueToJson(*issue, NowMs()));
    else ctx.Say("opened issue #" + std::to_string(issue->id) + " against " + Where(*issue) + ", due " + FormatTime(issue->due_at_ms));
    return kExitOk;
}

int RunList(Context& ctx, const IssueOptions& o) {
    auto cat = ctx.OpenCatalog(false);
    if (!cat) return ctx.exit_code;
    static const std::vector<std::string> kStates = {"open", "acknowledged", "resolved", "all"};
    if (!o.state.empty() && std::find(kStates.begin(), kStates.end(), o.state) == kStates.end()) {
        return ctx.Fail(InvalidArgument("--state: expected open, acknowledged, resolved or all, found \"" + o.state + "\""));
    }
    if (!o.product.empty()) {
        auto found = cat->Find("product/" + o.product);
        if (!found.ok()) return ctx.Fail(found.status());
    }
    if (!o.domain.empty()) {
        auto found = cat->Find("domain/" + o.domain);
        if (!found.ok()) return ctx.Fail(found.status());
    }
    int64_t now = NowMs();
    auto issues = cat->Issues({o.product, o.domain, o.state, o.overdue, now});
    if (!issues.ok()) return ctx.Fail(issues.status());
    if (ctx.Structured()) {
        auto arr = nlohmann::ordered_json::array();
        for (const auto& i : *issues) arr.push_back(IssueToJson(i, now));
        ctx.PrintStructured(arr);
        return kExitOk;
    }
    if (ctx.quiet) return kExitOk;
    if (issues->empty()) {
        std::string what = o.overdue ? "overdue" : o.state.empty() ? "unresolved" : o.state == "all" ? "" : o.state;
        std::cout << "no " << (what.empty() ? "" : what + " ") << "quality issues"
                  << (o.product.empty() ? "" : " of " + o.product) << (o.domain.empty() ? "" : " in domain " + o.domain) << "\n";
        return kExitOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& i : *issues) {
        rows.push_back({"#" + std::to_string(i.id), Where(i), i.state, i.origin == "check" ? "run" : i.opened_by,
                        FormatTime(i.due_at_ms) + (Overdue(i, now) ? " overdue" : ""), text::Truncate(i.title, 60)});
    }
    PrintTable({"ID", "AGAINST", "STATE", "OPENED BY", "DUE", "TITLE"}, rows);
    return kExitOk;
}

int RunShow(Context& ctx, const IssueOptions& o) {
    auto id = ParseId(o.id);
    if (!id.ok()) return ctx.Fail(id.status());
    auto cat = ctx.OpenCatalog(false);
    if (!cat) return ctx.exit_code;
    auto issue = cat->GetIssue(*id);
    if (!issue.ok()) return ctx.Fail(issue.status());
    auto comments = cat->IssueComments(*id);
    if (!comments.ok()) return ctx.Fail(comments.status());
    int64_t now = NowMs();
    if (ctx.Structured()) {
        auto j = IssueToJson(*issue, now);
        j["comments"] = nlohmann::ordered_json::array();
        for (const auto& c : *comments) {
            j["comments"].push_back({{"author", c.author}, {"at", FormatTime(c.created_at_ms)}, {"text", c.text}});
        }
        ctx.PrintStructured(j);
    } else if (!ctx.quiet) {
        PrintIssue(*issue, *comments, now);
    }
    return kExitOk;
}

// ack, resolve, comment: one change to one issue.
int RunChange(Context& ctx, const IssueOptions& o, const std::string& what) {
    auto id = ParseId(o.id);
    if (!id.ok()) return ctx.Fail(id.status());
    auto cat = ctx.OpenCatalog(false);
    if (!cat) return ctx.exit_code;
    std::string user = UserOf(o);
    Result<store::IssueRecord> issue = NotFound("");
    std::optional<LocalWriter> writer;
    if (what != "comment") {
        // Acknowledging and resolving are the product's owners' acts: `write-domain` of its
        // domain (docs/access.md), as the one who runs the command, audited.
        auto current = cat->GetIssue(*id);
        if (!current.ok()) return ctx.Fail(current.status());
        writer = AuthorizeLocal(ctx, o.user, access::Action::kWriteDomain, current->domain);
        if (!writer) return ctx.exit_code;
        user = writer->me.user;
    }
    if (what == "ack") {
        issue = cat->AcknowledgeIssue(*id, user);
    } else if (what == "resolve") {
        issue = cat->ResolveIssue(*id, user, o.note);
    } else {
        Status st = cat->CommentIssue(*id, user, o.text);
        if (!st.ok()) return ctx.Fail(st);
        issue = cat->GetIssue(*id);
    }
    if (!issue.ok()) return ctx.Fail(issue.status());
    if (writer) {
        AuditWrite(*writer, "issue." + what, "issue " + std::to_string(issue->id) + " " + issue->product,
                   what == "resolve" ? o.note : "");
    }
    if (ctx.Structured()) {
        ctx.PrintStructured(IssueToJson(*issue, NowMs()));
    } else {
        std::string done = what == "ack" ? "acknowledged" : what == "resolve" ? "resolved" : "commented on";
        ctx.Say(done + " issue #" + std::to_string(issue->id) + " (" + Where(*issue) + ")");
    }
    return kExitOk;
}

}  // namespace

void RegisterIssue(CLI::App& app, Context& ctx) {
    auto o = std::make_shared<IssueOptions>();
    auto* issue = app.add_subcommand("issue", "Quality issues: report, list, acknowledge, resolve, discuss");
    issue->require_subcommand(1);
    auto as = [&](CLI::App* sub) {
        sub->add_option("--as", o->user, "Who (default $TESSERA_USER or $USER)");
    };

    auto* open = issue->add_subcommand("open", "Report a quality problem of a data product");
    open->add_option("name", o->name, "domain.product, its URN or REST path")->transform(ProductAddressArg(PortArg::kProduct))->required();
    open->add_option("--title", o->title, "What is wrong, in a few words")->required();
    open->add_option("--description", o->description, "Details: what you saw, where, since when");
    open->add_option("--port", o->port, "The output port concerned");
    open->add_option("--column", o->column, "The column concerned (its port is found when only one has it)");
    as(open);
    open->callback([&ctx, o] { ctx.run = [&ctx, o] { return RunOpen(ctx, *o); }; });

    auto* list = issue->add_subcommand("list", "List quality issues (unresolved ones unless --state says otherwise)");
    list->add_option("--product", o->product, "Only those of this product (domain.product)");
    list->add_option("--domain", o->domain, "Only those of this domain");
    list->add_option("--state", o->state, "open | acknowledged | resolved | all");
    list->add_flag("--overdue", o->overdue, "Only unresolved issues past their domain's time to fix");
    list->callback([&ctx, o] { ctx.run = [&ctx, o] { return RunList(ctx, *o); }; });

    auto* show = issue->add_subcommand("show", "Show one issue with its comments");
    show->add_option("id", o->id, "The issue number (12 or #12)")->required();
    show->callback([&ctx, o] { ctx.run = [&ctx, o] { return RunShow(ctx, *o); }; });

    auto* ack = issue->add_subcommand("ack", "Acknowledge an open issue: its owners are on it");
    ack->add_option("id", o->id, "The issue number")->required();
    as(ack);
    ack->callback([&ctx, o] { ctx.run = [&ctx, o] { return RunChange(ctx, *o, "ack"); }; });

    auto* resolve = issue->add_subcommand("resolve", "Resolve an issue");
    resolve->add_option("id", o->id, "The issue number")->required();
    resolve->add_option("--note", o->note, "How it was fixed");
    as(resolve);
    resolve->callback([&ctx, o] { ctx.run = [&ctx, o] { return RunChange(ctx, *o, "resolve"); }; });

    auto* comment = issue->add_subcommand("comment", "Add a comment to an issue");
    comment->add_option("id", o->id, "The issue number")->required();
    comment->add_option("text", o->text, "The comment")->required();
    as(comment);
    comment->callback([&ctx, o] { ctx.run = [&ctx, o] { return RunChange(ctx, *o, "comment"); }; });
}

}  // namespace tessera::cli
