# SPDX-FileCopyrightText: 2026 RsWebSockets contributors
# SPDX-License-Identifier: MIT OR Apache-2.0

# rswebsockets_strict_target(<target>): the project's own compile settings for one target
# (libraries, tests), never forced onto consumers.
#  - Qt's strict defines (as KDSingleApplication and Qt modules build): no Qt keywords, no
#    implicit ASCII casts, no implicit QUrl-from-QString, no narrowing in connect, QStringBuilder.
#  - With RSWEBSOCKETS_DEVELOPER_MODE: strict warnings, treated as errors.

set(RSWEBSOCKETS_STRICT_QT_DEFINES
    QT_NO_KEYWORDS
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_CAST_FROM_BYTEARRAY
    QT_NO_URL_CAST_FROM_STRING
    QT_NO_NARROWING_CONVERSIONS_IN_CONNECT
    QT_NO_FOREACH
    QT_NO_JAVA_STYLE_ITERATORS
    QT_USE_QSTRINGBUILDER
    QT_DISABLE_DEPRECATED_BEFORE=0x060000)

set(RSWEBSOCKETS_DEVELOPER_WARNINGS
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual
    -Wold-style-cast -Wcast-align -Wformat=2 -Wimplicit-fallthrough -Wmissing-declarations
    -Werror)

function(rswebsockets_strict_target target)
    target_compile_definitions(${target} PRIVATE ${RSWEBSOCKETS_STRICT_QT_DEFINES})
    if(RSWEBSOCKETS_DEVELOPER_MODE AND CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
        target_compile_options(${target} PRIVATE ${RSWEBSOCKETS_DEVELOPER_WARNINGS})
    endif()
endfunction()
