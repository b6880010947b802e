// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// protocoldemo: a tour of the RsWebSocketProtocol namespace (QWebSocketProtocol, renamed).
//
//   protocoldemo                 print the tour
//   protocoldemo 13 " 8" 9 +013  also classify Sec-WebSocket-Version values given as arguments

#include <RsWebSockets/RsWebSocketProtocol>
#include <RsWebSockets/RsWebSocketsVersion>

#include <QtCore/QByteArray>
#include <QtCore/QCoreApplication>
#include <QtCore/QStringList>
#include <QtCore/QTextStream>

namespace {

QString versionName(RsWebSocketProtocol::Version version)
{
    switch (version) {
    case RsWebSocketProtocol::VersionUnknown:
        return QStringLiteral("unknown");
    case RsWebSocketProtocol::Version0:
        return QStringLiteral("hixie-76 / hybi-00");
    case RsWebSocketProtocol::Version4:
    case RsWebSocketProtocol::Version5:
    case RsWebSocketProtocol::Version6:
    case RsWebSocketProtocol::Version7:
    case RsWebSocketProtocol::Version8:
        return QStringLiteral("hybi draft %1").arg(int(version));
    case RsWebSocketProtocol::Version13:
        return QStringLiteral("RFC 6455");
    }
    return QString::number(int(version));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTextStream out(stdout);

    //! [version]
    out << "RsWebSockets " << RSWEBSOCKETS_VERSION_STR << ", protocol version "
        << int(RsWebSocketProtocol::currentVersion()) << " ("
        << versionName(RsWebSocketProtocol::currentVersion()) << ")" << Qt::endl;
    //! [version]

    //! [closecodes]
    out << Qt::endl << "Close codes an endpoint may send:" << Qt::endl;
    for (int code : {int(RsWebSocketProtocol::CloseCodeNormal), int(RsWebSocketProtocol::CloseCodeGoingAway),
                     int(RsWebSocketProtocol::CloseCodeAbnormalDisconnection), 1012, 2999, 3000, 4999, 5000}) {
        out << "  " << code << ": "
            << (RsWebSocketProtocol::isCloseCodeValid(code) ? "valid" : "never on the wire") << Qt::endl;
    }
    //! [closecodes]

    //! [mask]
    QByteArray payload = QByteArrayLiteral("Hello");
    const quint32 maskingKey = 0x37fa213d; // RFC 6455 §5.7
    RsWebSocketProtocol::mask(&payload, maskingKey);
    out << Qt::endl << "\"Hello\" masked with 0x37fa213d: " << payload.toHex(' ') << Qt::endl;
    RsWebSocketProtocol::mask(&payload, maskingKey);
    out << "masked again: " << QString::fromLatin1(payload) << Qt::endl;
    //! [mask]

    //! [versions]
    QStringList inputs = app.arguments().mid(1);
    if (inputs.isEmpty())
        inputs = {QStringLiteral("13"), QStringLiteral(" 8 "), QStringLiteral("+013"),
                  QStringLiteral("9"), QStringLiteral("0x0d")};
    out << Qt::endl << "Sec-WebSocket-Version values:" << Qt::endl;
    for (const QString &input : std::as_const(inputs)) {
        const RsWebSocketProtocol::Version version = RsWebSocketProtocol::versionFromString(input);
        out << "  \"" << input << "\" -> " << versionName(version) << Qt::endl;
    }
    //! [versions]

    return payload == QByteArrayLiteral("Hello") ? 0 : 1;
}
