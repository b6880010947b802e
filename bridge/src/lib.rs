// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

//! The one place where the rswebsockets engine meets C++ (cxx bridges, one module per topic).
