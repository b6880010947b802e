// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#ifndef PROTOCOLENUMS_H
#define PROTOCOLENUMS_H

// Every enumerator of RsWebSocketProtocol with its name, for the tests that check the names
// and values against the shared vectors file (and against Qt's own enums).

#include <RsWebSockets/RsWebSocketProtocol>

#include <string>
#include <vector>

namespace ProtocolEnums {

struct Enumerator
{
    std::string enumName;
    std::string name;
    int value;
};

#define RSWS_ENUMERATOR(Enum, name) Enumerator{#Enum, #name, RsWebSocketProtocol::name}

inline const std::vector<Enumerator> &all()
{
    static const std::vector<Enumerator> enumerators = {
        RSWS_ENUMERATOR(CloseCode, CloseCodeNormal),
        RSWS_ENUMERATOR(CloseCode, CloseCodeGoingAway),
        RSWS_ENUMERATOR(CloseCode, CloseCodeProtocolError),
        RSWS_ENUMERATOR(CloseCode, CloseCodeDatatypeNotSupported),
        RSWS_ENUMERATOR(CloseCode, CloseCodeReserved1004),
        RSWS_ENUMERATOR(CloseCode, CloseCodeMissingStatusCode),
        RSWS_ENUMERATOR(CloseCode, CloseCodeAbnormalDisconnection),
        RSWS_ENUMERATOR(CloseCode, CloseCodeWrongDatatype),
        RSWS_ENUMERATOR(CloseCode, CloseCodePolicyViolated),
        RSWS_ENUMERATOR(CloseCode, CloseCodeTooMuchData),
        RSWS_ENUMERATOR(CloseCode, CloseCodeMissingExtension),
        RSWS_ENUMERATOR(CloseCode, CloseCodeBadOperation),
        RSWS_ENUMERATOR(CloseCode, CloseCodeTlsHandshakeFailed),
        RSWS_ENUMERATOR(OpCode, OpCodeContinue),
        RSWS_ENUMERATOR(OpCode, OpCodeText),
        RSWS_ENUMERATOR(OpCode, OpCodeBinary),
        RSWS_ENUMERATOR(OpCode, OpCodeReserved3),
        RSWS_ENUMERATOR(OpCode, OpCodeReserved4),
        RSWS_ENUMERATOR(OpCode, OpCodeReserved5),
        RSWS_ENUMERATOR(OpCode, OpCodeReserved6),
        RSWS_ENUMERATOR(OpCode, OpCodeReserved7),
        RSWS_ENUMERATOR(OpCode, OpCodeClose),
        RSWS_ENUMERATOR(OpCode, OpCodePing),
        RSWS_ENUMERATOR(OpCode, OpCodePong),
        RSWS_ENUMERATOR(OpCode, OpCodeReservedB),
        RSWS_ENUMERATOR(OpCode, OpCodeReservedC),
        RSWS_ENUMERATOR(OpCode, OpCodeReservedD),
        RSWS_ENUMERATOR(OpCode, OpCodeReservedE),
        RSWS_ENUMERATOR(OpCode, OpCodeReservedF),
        RSWS_ENUMERATOR(Version, VersionUnknown),
        RSWS_ENUMERATOR(Version, Version0),
        RSWS_ENUMERATOR(Version, Version4),
        RSWS_ENUMERATOR(Version, Version5),
        RSWS_ENUMERATOR(Version, Version6),
        RSWS_ENUMERATOR(Version, Version7),
        RSWS_ENUMERATOR(Version, Version8),
        RSWS_ENUMERATOR(Version, Version13),
        RSWS_ENUMERATOR(Version, VersionLatest),
    };
    return enumerators;
}

#undef RSWS_ENUMERATOR

// The enumerator with this enum and name, or nullptr.
inline const Enumerator *find(const std::string &enumName, const std::string &name)
{
    for (const Enumerator &e : all()) {
        if (e.enumName == enumName && e.name == name)
            return &e;
    }
    return nullptr;
}

} // namespace ProtocolEnums

#endif // PROTOCOLENUMS_H
