# Fails unless TARGET_DEFS (a target's compile definitions) contains CP_PRESENTATION_LAYER.
if(NOT TARGET_DEFS MATCHES "CP_PRESENTATION_LAYER")
  message(FATAL_ERROR "CP_PRESENTATION_LAYER is not defined for this layer: '${TARGET_DEFS}'")
endif()
