# Runs at install time (install(SCRIPT) from cmake/package.cmake), when the install
# prefix is known: writes the systemd units of deploy/systemd with the installed paths
# of the binary and of the bundled mappings, and installs them.
#
# Set by the install(CODE) before it: ordergate_units (the source files),
# ordergate_unit_dir, ordergate_unit_work, ordergate_bindir, ordergate_datadir.
set(prefix "${CMAKE_INSTALL_PREFIX}")
set(binary "${prefix}/${ordergate_bindir}/ordergate")
set(mappings "${prefix}/${ordergate_datadir}/ordergate/mappings")

file(MAKE_DIRECTORY "${ordergate_unit_work}")
set(written)
foreach(unit IN LISTS ordergate_units)
  get_filename_component(name "${unit}" NAME)
  file(READ "${unit}" text)
  # Every unit that runs the binary must still name it where this replaces it: a unit
  # that drifted from these paths would install pointing at nothing.
  if(name MATCHES "\\.service$" AND NOT text MATCHES "/usr/local/bin/ordergate")
    message(FATAL_ERROR "${unit} does not run /usr/local/bin/ordergate: update cmake/install-units.cmake")
  endif()
  string(REPLACE "/usr/local/bin/ordergate" "${binary}" text "${text}")
  string(REPLACE "ORDERGATE_MAPPINGS=/etc/ordergate/mappings" "ORDERGATE_MAPPINGS=${mappings}"
                 text "${text}")
  file(WRITE "${ordergate_unit_work}/${name}" "${text}")
  list(APPEND written "${ordergate_unit_work}/${name}")
endforeach()
file(INSTALL DESTINATION "${prefix}/${ordergate_unit_dir}" TYPE FILE
     PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ FILES ${written})
