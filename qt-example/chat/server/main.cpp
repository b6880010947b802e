// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#include "chatserver.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication a(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("chatserver"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("RsWebSockets chat server."));
    parser.addHelpOption();
    QCommandLineOption portOption(QStringList{ QStringLiteral("p"), QStringLiteral("port") },
                                  QStringLiteral("Port [default: 1235]."),
                                  QStringLiteral("port"), QStringLiteral("1235"));
    QCommandLineOption compressOption(QStringList{ QStringLiteral("c"), QStringLiteral("compress") },
                                      QStringLiteral("Accept permessage-deflate compression."));
    parser.addOption(portOption);
    parser.addOption(compressOption);
    parser.process(a);

    bool ok = false;
    const uint port = parser.value(portOption).toUInt(&ok);
    if (!ok || port > 65535) {
        qCritical("Invalid port: %s", qPrintable(parser.value(portOption)));
        return 2;
    }

    ChatServer server(quint16(port), parser.isSet(compressOption));
    if (!server.isListening())
        return 1;
    return a.exec();
}
