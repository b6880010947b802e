// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#include "chatclient.h"

#include <QtCore/QCommandLineParser>
#include <QtCore/QCoreApplication>

int main(int argc, char *argv[])
{
    QCoreApplication a(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("chatclient"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
            QStringLiteral("RsWebSockets console chat client: lines from standard input go to "
                           "the chat, messages from the chat go to standard output."));
    parser.addHelpOption();
    QCommandLineOption urlOption(QStringList{ QStringLiteral("u"), QStringLiteral("url") },
                                 QStringLiteral("Chat server URL [default: ws://127.0.0.1:1235]."),
                                 QStringLiteral("url"), QStringLiteral("ws://127.0.0.1:1235"));
    QCommandLineOption nameOption(QStringList{ QStringLiteral("n"), QStringLiteral("name") },
                                  QStringLiteral("Your name in the chat."), QStringLiteral("name"),
                                  qEnvironmentVariable("USER", QStringLiteral("guest")));
    parser.addOption(urlOption);
    parser.addOption(nameOption);
    parser.process(a);

    ChatClient client(QUrl(parser.value(urlOption)), parser.value(nameOption));
    QObject::connect(&client, &ChatClient::finished, &a, &QCoreApplication::exit,
                     Qt::QueuedConnection);
    return a.exec();
}
