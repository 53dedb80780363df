#pragma once

// The entry of a build process. Every build runs out of the server's (or the CLI's) process, in a
// child started as `<tessera binary> __build` (engine::Runner does it): the child reads one build
// plan (JSON) on stdin, runs it in a locked-down DuckDB (engine/internal/build.h), writes the
// result (JSON) on stdout and exits. It is not a user command; `main` dispatches to it before
// parsing any option.
//
//   int main(int argc, char** argv) {
//       if (argc >= 2 && std::string_view(argv[1]) == tessera::engine::kBuildChildCommand)
//           return tessera::engine::BuildChildMain();
//       …
//   }

namespace tessera::engine {

inline constexpr const char* kBuildChildCommand = "__build";

// Runs one build as described above. Returns the process's exit code: 0 when a result was
// written (a failed build is a result too), 2 when the plan could not be read.
int BuildChildMain();

}  // namespace tessera::engine
