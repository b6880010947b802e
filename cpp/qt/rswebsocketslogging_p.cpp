// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#include "rswebsocketslogging_p.h"

Q_LOGGING_CATEGORY(lcRsWebSockets, "rswebsockets", QtWarningMsg)
