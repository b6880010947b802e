// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#ifndef RSWEBSOCKETS_GLOBAL_H
#define RSWEBSOCKETS_GLOBAL_H

// Export macros, in the style of Qt's Q_DECL_EXPORT / Q_DECL_IMPORT, without needing Qt.
//
// RSWEBSOCKETS_STATIC is defined (through the targets' interface) when the libraries are built
// as static archives, the default. RSWEBSOCKETS_BUILD_LIB is defined only while RsWebSocketsCore
// or RsWebSocketsQt itself is compiled. Everything public is marked RSWEBSOCKETS_EXPORT; the
// libraries are compiled with hidden visibility, so nothing else leaves a shared build.

#if defined(_WIN32) || defined(__CYGWIN__)
#  define RSWEBSOCKETS_DECL_EXPORT __declspec(dllexport)
#  define RSWEBSOCKETS_DECL_IMPORT __declspec(dllimport)
#elif defined(__GNUC__) || defined(__clang__)
#  define RSWEBSOCKETS_DECL_EXPORT __attribute__((visibility("default")))
#  define RSWEBSOCKETS_DECL_IMPORT __attribute__((visibility("default")))
#else
#  define RSWEBSOCKETS_DECL_EXPORT
#  define RSWEBSOCKETS_DECL_IMPORT
#endif

#if defined(RSWEBSOCKETS_STATIC)
#  define RSWEBSOCKETS_EXPORT
#elif defined(RSWEBSOCKETS_BUILD_LIB)
#  define RSWEBSOCKETS_EXPORT RSWEBSOCKETS_DECL_EXPORT
#else
#  define RSWEBSOCKETS_EXPORT RSWEBSOCKETS_DECL_IMPORT
#endif

#endif // RSWEBSOCKETS_GLOBAL_H
