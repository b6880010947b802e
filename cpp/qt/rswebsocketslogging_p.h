// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#ifndef RSWEBSOCKETSLOGGING_P_H
#define RSWEBSOCKETSLOGGING_P_H

//
//  W A R N I N G
//  -------------
//
// This file is not part of the RsWebSockets API. It exists purely as an
// implementation detail. This header file may change from version to
// version without notice, or even be removed.
//
// We mean it.
//

#include <QtCore/QLoggingCategory>

// The logging category "rswebsockets" of the Qt classes; enable its debug output with
// QT_LOGGING_RULES="rswebsockets.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcRsWebSockets)

#endif // RSWEBSOCKETSLOGGING_P_H
