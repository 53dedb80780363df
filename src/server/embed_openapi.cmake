# Writes OUT: a C++ file defining tessera::server::OpenApiDocument() as the text of IN, in pieces
# (compilers limit the length of one string literal).
file(READ "${IN}" text)
string(LENGTH "${text}" n)
set(body "")
set(pos 0)
while(pos LESS n)
  string(SUBSTRING "${text}" ${pos} 8000 piece)
  string(APPEND body "    R\"tessera_openapi(${piece})tessera_openapi\"\n")
  math(EXPR pos "${pos} + 8000")
endwhile()
file(WRITE "${OUT}.tmp" "// Generated from docs/openapi.json by src/server/embed_openapi.cmake: do not edit.\n"
     "#include <string_view>\n#include \"server/server.h\"\n"
     "namespace tessera::server {\nstd::string_view OpenApiDocument() {\n  static const char kText[] =\n${body};\n"
     "  return std::string_view(kText, sizeof kText - 1);\n}\n}  // namespace tessera::server\n")
file(RENAME "${OUT}.tmp" "${OUT}")
