// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// Shared by the two files of tst_rswebsocketadversarial: the check counter and the handshake
// tests' entry points.

#ifndef TST_RSWEBSOCKETADVERSARIAL_H
#define TST_RSWEBSOCKETADVERSARIAL_H

#include <string>

namespace Adversarial {

// Counts a check; prints what failed.
void check(bool ok, const std::string &what);

// tst_rswebsocketadversarial_handshake.cpp
void testHostileRequests();
void testHostileResponses();

} // namespace Adversarial

#endif // TST_RSWEBSOCKETADVERSARIAL_H
