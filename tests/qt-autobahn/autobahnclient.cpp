// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// autobahnclient URL AGENT: runs every case of an Autobahn|Testsuite fuzzingserver with
// RsWebSocket, echoing each message back, then asks the server to write its reports.
//
//   GET URL/getCaseCount                      -> one text message: the number of cases
//   GET URL/runCase?case=N&agent=AGENT        -> echo every message until the server closes
//   GET URL/updateReports?agent=AGENT         -> the server writes the reports and closes
//
// permessage-deflate is offered on every case (cases 12.* and 13.* need it).

#include <RsWebSockets/RsWebSocket>

#include <QtCore/QCoreApplication>
#include <QtCore/QTextStream>
#include <QtCore/QTimer>
#include <QtCore/QUrl>
#include <QtCore/QUrlQuery>

#include <functional>
#include <memory>

namespace {

QTextStream &out()
{
    static QTextStream stream(stdout);
    return stream;
}

class AutobahnClient : public QObject
{
    Q_OBJECT
public:
    AutobahnClient(const QUrl &base, const QString &agent) : m_base(base), m_agent(agent)
    {
        m_caseTimer.setSingleShot(true);
        connect(&m_caseTimer, &QTimer::timeout, this, [this] {
            out() << "case " << m_case << ": timed out, aborting" << Qt::endl;
            if (m_socket)
                m_socket->abort();
        });
    }

    void start() { getCaseCount(); }

Q_SIGNALS:
    void finished(int exitCode);

private:
    QUrl url(const QString &path, const QList<QPair<QString, QString>> &items) const
    {
        QUrl u = m_base;
        QString basePath = u.path();
        if (basePath.endsWith(QLatin1Char('/')))
            basePath.chop(1);
        u.setPath(basePath + path);
        QUrlQuery query;
        query.setQueryItems(items);
        u.setQuery(query);
        return u;
    }

    // A fresh socket for each step; `onDone` runs once it is disconnected.
    RsWebSocket *newSocket(std::function<void()> onDone)
    {
        if (m_socket)
            m_socket.release()->deleteLater();
        m_socket = std::make_unique<RsWebSocket>();
        RsWebSocket *socket = m_socket.get();
        socket->setCompressionEnabled(true);
        socket->setMaxAllowedIncomingFrameSize(RsWebSocket::maxIncomingFrameSize());
        socket->setMaxAllowedIncomingMessageSize(RsWebSocket::maxIncomingMessageSize());
        auto done = std::make_shared<bool>(false);
        auto finish = [done, onDone = std::move(onDone)] {
            if (*done)
                return;
            *done = true;
            QMetaObject::invokeMethod(qApp, onDone, Qt::QueuedConnection);
        };
        connect(socket, &RsWebSocket::disconnected, this, finish);
        connect(socket, &RsWebSocket::errorOccurred, this, [socket, finish] {
            if (socket->state() == QAbstractSocket::UnconnectedState)
                finish();
        });
        return socket;
    }

    void getCaseCount()
    {
        RsWebSocket *socket = newSocket([this] {
            if (m_caseCount <= 0) {
                out() << "Could not get the case count from " << m_base.toString() << ": "
                      << (m_socket ? m_socket->errorString() : QString()) << Qt::endl;
                Q_EMIT finished(1);
                return;
            }
            out() << "Running " << m_caseCount << " cases as agent " << m_agent << Qt::endl;
            m_case = 1;
            runCase();
        });
        connect(socket, &RsWebSocket::textMessageReceived, this,
                [this](const QString &message) { m_caseCount = message.toInt(); });
        socket->open(url(QStringLiteral("/getCaseCount"), {}));
    }

    void runCase()
    {
        if (m_case > m_caseCount) {
            updateReports();
            return;
        }
        RsWebSocket *socket = newSocket([this] {
            m_caseTimer.stop();
            ++m_case;
            runCase();
        });
        //! [echo]
        connect(socket, &RsWebSocket::textMessageReceived, socket,
                &RsWebSocket::sendTextMessage);
        connect(socket, &RsWebSocket::binaryMessageReceived, socket,
                &RsWebSocket::sendBinaryMessage);
        //! [echo]
        if (m_case % 50 == 0 || m_case == m_caseCount)
            out() << "case " << m_case << "/" << m_caseCount << Qt::endl;
        m_caseTimer.start(120000);
        socket->open(url(QStringLiteral("/runCase"),
                         { { QStringLiteral("case"), QString::number(m_case) },
                           { QStringLiteral("agent"), m_agent } }));
    }

    void updateReports()
    {
        newSocket([this] {
            out() << "Reports updated" << Qt::endl;
            Q_EMIT finished(0);
        });
        m_socket->open(url(QStringLiteral("/updateReports"),
                           { { QStringLiteral("agent"), m_agent } }));
    }

    QUrl m_base;
    QString m_agent;
    std::unique_ptr<RsWebSocket> m_socket;
    QTimer m_caseTimer;
    int m_caseCount = 0;
    int m_case = 0;
};

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() != 3) {
        QTextStream(stderr) << "usage: autobahnclient URL AGENT\n"
                               "  e.g. autobahnclient ws://127.0.0.1:9001 RsWebSockets-Qt\n";
        return 2;
    }
    const QUrl base(args.at(1));
    if (!base.isValid()
        || (base.scheme() != QLatin1String("ws") && base.scheme() != QLatin1String("wss"))) {
        QTextStream(stderr) << "invalid URL: " << args.at(1) << "\n";
        return 2;
    }
    AutobahnClient client(base, args.at(2));
    QObject::connect(&client, &AutobahnClient::finished, &app, &QCoreApplication::exit,
                     Qt::QueuedConnection);
    client.start();
    return app.exec();
}

#include "autobahnclient.moc"
