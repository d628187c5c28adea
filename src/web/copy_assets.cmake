# Copies the web assets into DEST_DIR (run with cmake -P; see CMakeLists.txt).
#   SOURCE_DIR  the repository's web/ directory
#   DEST_DIR    where the server will serve /assets/ from
#   REQUIRED    ON: fail when govuk-frontend is not installed; OFF: warn and copy our own files
#
# GOV.UK Frontend's fonts (GDS Transport) and crown images are licensed for GOV.UK-domain
# services only. ContactPoint is not one, so they are not copied, and the @font-face rules
# are removed from the CSS: text falls back to the stack's Arial/sans-serif.
cmake_minimum_required(VERSION 3.25)

set(govuk ${SOURCE_DIR}/node_modules/govuk-frontend/dist/govuk)
file(MAKE_DIRECTORY ${DEST_DIR})

if(EXISTS ${govuk}/govuk-frontend.min.css)
  file(READ ${govuk}/govuk-frontend.min.css css)
  string(REGEX REPLACE "@font-face{[^}]*}" "" css "${css}")
  string(REGEX REPLACE "/\\*![^*]*GDS Transport[^*]*\\*/" "" css "${css}")
  string(REGEX REPLACE "/\\*![^*]*exclusive use on gov\\.uk[^*]*\\*/" "" css "${css}")
  string(REGEX REPLACE "\n?/\\*# sourceMappingURL=[^*]*\\*/" "" css "${css}")
  set(tmp ${DEST_DIR}/.govuk-frontend.min.css.tmp)
  file(WRITE ${tmp} "${css}")
  file(COPY_FILE ${tmp} ${DEST_DIR}/govuk-frontend.min.css ONLY_IF_DIFFERENT)
  file(REMOVE ${tmp})
  file(COPY_FILE ${govuk}/govuk-frontend.min.js ${DEST_DIR}/govuk-frontend.min.js
       ONLY_IF_DIFFERENT)
  file(COPY_FILE ${govuk}/govuk-frontend.min.js.map ${DEST_DIR}/govuk-frontend.min.js.map
       ONLY_IF_DIFFERENT)
elseif(REQUIRED)
  message(FATAL_ERROR "govuk-frontend is not installed in ${SOURCE_DIR}/node_modules: "
                      "run scripts/install-web-deps")
else()
  message(WARNING "govuk-frontend is not installed (run scripts/install-web-deps): "
                  "copying ContactPoint's own assets only; pages will be unstyled")
endif()

file(GLOB own_assets ${SOURCE_DIR}/assets/*)
foreach(f ${own_assets})
  get_filename_component(name ${f} NAME)
  file(COPY_FILE ${f} ${DEST_DIR}/${name} ONLY_IF_DIFFERENT)
endforeach()
