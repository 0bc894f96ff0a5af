# Install rules and the Debian package. Include from the top CMakeLists.txt after the
# ordergate target is defined.
#
#   cmake --install build --prefix /usr/local     # the files, under any prefix
#   (cd build && cpack -G DEB)                    # ordergate_<version>_<arch>.deb, prefix /usr
#
# What is installed, relative to the prefix (the package's is /usr):
#   bin/ordergate                        the binary (stripped in the package)
#   share/ordergate/mappings/            the bundled mappings with their golden cases and schema
#   share/ordergate/ordergate.env.example the environment file the package copies to
#                                        /etc/ordergate/ordergate.env when there is none
#   lib/systemd/system/                  the units of deploy/systemd, pointing at these paths
#   share/man/man1/ordergate.1.gz        the manual page (docs/ordergate.1)
#   share/doc/ordergate/                 README, docs/*.md and the package's changelog
# The system user, /etc/ordergate and /var/lib/ordergate are made by the package's
# maintainer scripts (deploy/debian/), never by `cmake --install`.
include(GNUInstallDirs)
get_filename_component(ordergate_root ${CMAKE_CURRENT_LIST_DIR}/.. ABSOLUTE)

set(ORDERGATE_SYSTEMD_UNIT_DIR "lib/systemd/system" CACHE STRING
    "Where the systemd units are installed, relative to the install prefix")
set(ORDERGATE_PACKAGE_MAINTAINER "ordergate maintainers <ordergate@localhost>" CACHE STRING
    "Maintainer field of the Debian package")

install(TARGETS ordergate RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${ordergate_root}/mappings/
        DESTINATION ${CMAKE_INSTALL_DATADIR}/ordergate/mappings)
install(FILES ${ordergate_root}/deploy/systemd/ordergate.env.example
        DESTINATION ${CMAKE_INSTALL_DATADIR}/ordergate)
install(FILES ${ordergate_root}/README.md ${ordergate_root}/docs/flows.md
              ${ordergate_root}/docs/operations.md ${ordergate_root}/docs/mapping-language.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})

# Debian compresses manual pages and changelogs with gzip -9n (no name or time stamp:
# reproducible).
set(ordergate_man ${CMAKE_CURRENT_BINARY_DIR}/ordergate.1.gz)
set(ordergate_changelog ${CMAKE_CURRENT_BINARY_DIR}/changelog.gz)
add_custom_command(OUTPUT ${ordergate_man}
                   COMMAND gzip -9nc ${ordergate_root}/docs/ordergate.1 > ${ordergate_man}
                   DEPENDS ${ordergate_root}/docs/ordergate.1
                   COMMENT "Compressing the manual page")
add_custom_command(OUTPUT ${ordergate_changelog}
                   COMMAND gzip -9nc ${ordergate_root}/deploy/debian/changelog > ${ordergate_changelog}
                   DEPENDS ${ordergate_root}/deploy/debian/changelog
                   COMMENT "Compressing the package changelog")
add_custom_target(ordergate_compressed_docs ALL DEPENDS ${ordergate_man} ${ordergate_changelog})
install(FILES ${ordergate_man} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${ordergate_changelog} DESTINATION ${CMAKE_INSTALL_DOCDIR})

# The units in deploy/systemd are written for a copy by hand (/usr/local/bin/ordergate,
# mappings in /etc/ordergate/mappings). Installed, they point at the installed binary and
# the installed mappings: the paths are replaced when they are installed, once the
# prefix is known (cpack installs with its own).
file(GLOB ordergate_units ${ordergate_root}/deploy/systemd/*.service
                          ${ordergate_root}/deploy/systemd/*.timer)
install(CODE "set(ordergate_units \"${ordergate_units}\")
set(ordergate_unit_dir \"${ORDERGATE_SYSTEMD_UNIT_DIR}\")
set(ordergate_unit_work \"${CMAKE_CURRENT_BINARY_DIR}/installed-units\")
set(ordergate_bindir \"${CMAKE_INSTALL_BINDIR}\")
set(ordergate_datadir \"${CMAKE_INSTALL_DATADIR}\")")
install(SCRIPT ${ordergate_root}/cmake/install-units.cmake)

# ---------------------------------------------------------------- Debian package
set(CPACK_PACKAGE_NAME ordergate)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "${ORDERGATE_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "order-format gateway between Webasyst, Imshop and gift-card platforms")
set(CPACK_PACKAGE_DESCRIPTION
    "ordergate is an asynchronous HTTP gateway that sits between a Webasyst
Shop-Script shop, Imshop (the shop's mobile app), a gift-card platform and a
marketing platform, and rewrites orders from one vendor's format into
another's. How each document is rewritten lives in declarative mapping files
that an integrator edits, checks (ordergate check) and tests (ordergate test)
without recompiling. The package installs the gateway, the bundled mappings,
systemd units for the gateway and its two sync jobs, and a system user.")
# Installed into a staging root with DESTDIR and the real prefix, so that the units are
# written with /usr, not with the staging folder.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # ordergate_0.1.0_amd64.deb
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends: the shared libraries of the binary, by dpkg-shlibdeps (libc6, libstdc++6,
# libssl3, libpugixml1v5, libdate-tz3...), plus what the maintainer scripts (adduser)
# and the time zone functions use; deb-systemd-helper is in an essential package.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, tzdata")
# HTTPS vendors are verified against the system's CA store.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "ca-certificates")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${ordergate_root}/deploy/debian/postinst ${ordergate_root}/deploy/debian/prerm
    ${ordergate_root}/deploy/debian/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_GENERATOR DEB)
include(CPack)
