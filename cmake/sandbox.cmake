# ordergate-sandbox: fake Webasyst, Imshop, gift-card and market APIs for trying
# ordergate and for integration tests. Include from the top CMakeLists.txt after the
# modules are defined; tests/CMakeLists.txt then needs
#   set(unit_deps_sandbox ordergate_sandbox)
get_filename_component(ordergate_sandbox_root ${CMAKE_CURRENT_LIST_DIR}/.. ABSOLUTE)

file(GLOB ordergate_sandbox_sources CONFIGURE_DEPENDS ${ordergate_sandbox_root}/src/sandbox/*.cpp)
list(FILTER ordergate_sandbox_sources EXCLUDE REGEX "/main\\.cpp$")
add_library(ordergate_sandbox STATIC ${ordergate_sandbox_sources})
ordergate_module_include_dirs(ordergate_sandbox sandbox)
target_link_libraries(ordergate_sandbox PUBLIC ordergate_http ordergate_codec OpenSSL::Crypto)
target_compile_options(ordergate_sandbox PRIVATE ${ORDERGATE_COROUTINE_OPTIONS})

add_executable(ordergate-sandbox ${ordergate_sandbox_root}/src/sandbox/main.cpp)
target_link_libraries(ordergate-sandbox PRIVATE ordergate_sandbox)
target_compile_options(ordergate-sandbox PRIVATE ${ORDERGATE_COROUTINE_OPTIONS})
