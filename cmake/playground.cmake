# The page of `ordergate playground`: src/tooling/playground/ and Debian's CodeMirror 5
# (libjs-codemirror), built into the tooling library by cmake/embed-assets.cmake so that
# the binary serves them itself (nothing is downloaded, at build time or by the browser).

set(ORDERGATE_CODEMIRROR_DIR /usr/share/javascript/codemirror CACHE PATH
    "CodeMirror 5 for the playground (Debian package libjs-codemirror)")
set(page_dir ${PROJECT_SOURCE_DIR}/src/tooling/playground)
set(cm ${ORDERGATE_CODEMIRROR_DIR})
set(playground_assets
    "/|html|${page_dir}/index.html"
    "/playground.css|css|${page_dir}/playground.css"
    "/playground.js|js|${page_dir}/playground.js"
    "/favicon.svg|svg|${page_dir}/favicon.svg"
    "/codemirror/codemirror.css|css|${cm}/lib/codemirror.css"
    "/codemirror/codemirror.js|js|${cm}/lib/codemirror.js"
    "/codemirror/javascript.js|js|${cm}/mode/javascript/javascript.js")

set(manifest_text "")
set(asset_files "")
foreach(entry IN LISTS playground_assets)
  string(REPLACE "|" ";" fields "${entry}")
  list(GET fields 2 file)
  if(NOT EXISTS ${file})
    message(FATAL_ERROR "The playground's page needs ${file}, which is missing. "
                        "Install Debian's CodeMirror 5: apt-get install libjs-codemirror "
                        "(scripts/install-deps.sh does), or set ORDERGATE_CODEMIRROR_DIR to "
                        "a folder holding CodeMirror 5 (lib/, mode/).")
  endif()
  string(APPEND manifest_text "${entry}\n")
  list(APPEND asset_files ${file})
endforeach()

set(manifest ${CMAKE_BINARY_DIR}/generated/playground_assets.txt)
set(embedded ${CMAKE_BINARY_DIR}/generated/playground_assets.cpp)
file(CONFIGURE OUTPUT ${manifest} CONTENT "${manifest_text}")
add_custom_command(
  OUTPUT ${embedded}
  COMMAND ${CMAKE_COMMAND} -DOUTPUT=${embedded} -DMANIFEST=${manifest}
          -P ${PROJECT_SOURCE_DIR}/cmake/embed-assets.cmake
  DEPENDS ${PROJECT_SOURCE_DIR}/cmake/embed-assets.cmake ${manifest} ${asset_files}
  COMMENT "Embedding the playground's page and CodeMirror"
  VERBATIM)
target_sources(ordergate_tooling PRIVATE ${embedded})
