// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#include "echoserver.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication a(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("echoserver"));

    //! [options]
    QCommandLineParser parser;
    parser.setApplicationDescription(
            QStringLiteral("RsWebSockets echo server: sends every message back to its sender."));
    parser.addHelpOption();
    QCommandLineOption portOption(QStringList{ QStringLiteral("p"), QStringLiteral("port") },
                                  QStringLiteral("Port for the echo server [default: 1234]."),
                                  QStringLiteral("port"), QStringLiteral("1234"));
    QCommandLineOption compressOption(QStringList{ QStringLiteral("c"), QStringLiteral("compress") },
                                      QStringLiteral("Accept permessage-deflate compression."));
    QCommandLineOption quietOption(QStringList{ QStringLiteral("q"), QStringLiteral("quiet") },
                                   QStringLiteral("Do not print connections."));
    parser.addOption(portOption);
    parser.addOption(compressOption);
    parser.addOption(quietOption);
    parser.process(a);
    //! [options]

    bool ok = false;
    const uint port = parser.value(portOption).toUInt(&ok);
    if (!ok || port > 65535) {
        qCritical("Invalid port: %s", qPrintable(parser.value(portOption)));
        return 2;
    }

    EchoServer::Options options;
    options.port = quint16(port);
    options.compress = parser.isSet(compressOption);
    options.verbose = !parser.isSet(quietOption);

    EchoServer server(options);
    if (!server.isListening())
        return 1;
    QObject::connect(&server, &EchoServer::closed, &a, &QCoreApplication::quit);

    return a.exec();
}
