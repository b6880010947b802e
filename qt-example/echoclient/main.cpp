// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#include "echoclient.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication a(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("echoclient"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
            QStringLiteral("RsWebSockets echo client: sends text, binary and compressed "
                           "messages to an echo server, checks the echoes and closes."));
    parser.addHelpOption();
    QCommandLineOption urlOption(QStringList{ QStringLiteral("u"), QStringLiteral("url") },
                                 QStringLiteral("Server URL [default: ws://127.0.0.1:1234]."),
                                 QStringLiteral("url"), QStringLiteral("ws://127.0.0.1:1234"));
    QCommandLineOption noCompressOption(QStringLiteral("no-compress"),
                                        QStringLiteral("Do not offer permessage-deflate."));
    parser.addOption(urlOption);
    parser.addOption(noCompressOption);
    parser.process(a);

    const QUrl url(parser.value(urlOption));
    if (!url.isValid() || (url.scheme() != QLatin1String("ws") && url.scheme() != QLatin1String("wss"))) {
        qCritical("Invalid URL: %s", qPrintable(parser.value(urlOption)));
        return 2;
    }

    //! [main]
    EchoClient client(url, !parser.isSet(noCompressOption));
    QObject::connect(&client, &EchoClient::finished, &a, &QCoreApplication::exit,
                     Qt::QueuedConnection);
    return a.exec();
    //! [main]
}
