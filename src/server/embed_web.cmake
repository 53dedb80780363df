# Writes OUT: a C++ file defining tessera::server::internal::WebFiles(), the files of the bundled web
# catalog in DIR (web/build.mjs's output: index.html, assets/…), each as a path and its text in
# pieces (compilers limit the length of one string literal). Text files only (HTML, JS, CSS, SVG).
file(GLOB_RECURSE files RELATIVE "${DIR}" "${DIR}/*")
list(SORT files)
set(entries "")
set(i 0)
set(defs "")
foreach(rel ${files})
  file(READ "${DIR}/${rel}" text)
  string(FIND "${text}" ")tessera_web\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "${DIR}/${rel} contains the raw-string delimiter )tessera_web\"; change it in embed_web.cmake")
  endif()
  string(LENGTH "${text}" n)
  set(body "")
  set(pos 0)
  while(pos LESS n)
    string(SUBSTRING "${text}" ${pos} 8000 piece)
    string(APPEND body "    R\"tessera_web(${piece})tessera_web\"\n")
    math(EXPR pos "${pos} + 8000")
  endwhile()
  if(n EQUAL 0)
    set(body "    \"\"\n")
  endif()
  string(APPEND defs "static const char kFile${i}[] =\n${body};\n")
  string(APPEND entries "      {\"/${rel}\", std::string_view(kFile${i}, sizeof kFile${i} - 1)},\n")
  math(EXPR i "${i} + 1")
endforeach()
file(WRITE "${OUT}.tmp" "// Generated from web/ by web/build.mjs and src/server/embed_web.cmake: do not edit.\n"
     "#include \"server/internal/web_assets.h\"\n"
     "namespace tessera::server::internal {\nnamespace {\n${defs}}  // namespace\n"
     "std::span<const WebFile> WebFiles() {\n  static const WebFile kFiles[] = {\n${entries}  };\n"
     "  return kFiles;\n}\n}  // namespace tessera::server::internal\n")
file(RENAME "${OUT}.tmp" "${OUT}")
