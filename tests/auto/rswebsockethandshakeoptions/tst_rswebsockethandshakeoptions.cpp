// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// RsWebSocketHandshakeOptions: a copyable, comparable value type that behaves like
// QWebSocketHandshakeOptions (checked side by side).

#include <RsWebSockets/RsWebSocketHandshakeOptions>

#include <QtTest/QTest>
#include <QtWebSockets/QWebSocketHandshakeOptions>

#include <type_traits>
#include <utility>

class tst_RsWebSocketHandshakeOptions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void valueType();
    void defaults();
    void subprotocols_data();
    void subprotocols();
    void copyAndMove();
    void comparison_data();
    void comparison();
};

void tst_RsWebSocketHandshakeOptions::valueType()
{
    static_assert(std::is_copy_constructible_v<RsWebSocketHandshakeOptions>);
    static_assert(std::is_copy_assignable_v<RsWebSocketHandshakeOptions>);
    static_assert(std::is_nothrow_move_constructible_v<RsWebSocketHandshakeOptions>);
    static_assert(std::is_nothrow_move_assignable_v<RsWebSocketHandshakeOptions>);
    static_assert(QTypeInfo<RsWebSocketHandshakeOptions>::isRelocatable);
    QVERIFY(true);
}

void tst_RsWebSocketHandshakeOptions::defaults()
{
    const RsWebSocketHandshakeOptions options;
    QCOMPARE(options.subprotocols(), QWebSocketHandshakeOptions().subprotocols());
    QVERIFY(options.subprotocols().isEmpty());
    QVERIFY(options == RsWebSocketHandshakeOptions());
}

void tst_RsWebSocketHandshakeOptions::subprotocols_data()
{
    QTest::addColumn<QStringList>("protocols");
    QTest::newRow("none") << QStringList();
    QTest::newRow("one") << QStringList{ QStringLiteral("chat") };
    QTest::newRow("ordered") << QStringList{ QStringLiteral("v2.chat"), QStringLiteral("v1.chat") };
    QTest::newRow("invalid names are kept (filtered when sent)")
            << QStringList{ QStringLiteral("bad name"), QString() };
}

void tst_RsWebSocketHandshakeOptions::subprotocols()
{
    QFETCH(QStringList, protocols);
    RsWebSocketHandshakeOptions options;
    options.setSubprotocols(protocols);
    QCOMPARE(options.subprotocols(), protocols);
    QWebSocketHandshakeOptions qt;
    qt.setSubprotocols(protocols);
    QCOMPARE(options.subprotocols(), qt.subprotocols());
}

void tst_RsWebSocketHandshakeOptions::copyAndMove()
{
    RsWebSocketHandshakeOptions a;
    a.setSubprotocols({ QStringLiteral("a") });
    RsWebSocketHandshakeOptions b(a); // implicit sharing, detached on write
    QCOMPARE(b, a);
    b.setSubprotocols({ QStringLiteral("b") });
    QCOMPARE(a.subprotocols(), QStringList{ QStringLiteral("a") });
    QCOMPARE(b.subprotocols(), QStringList{ QStringLiteral("b") });

    RsWebSocketHandshakeOptions c;
    c = a;
    QCOMPARE(c, a);
    RsWebSocketHandshakeOptions moved(std::move(c));
    QCOMPARE(moved.subprotocols(), QStringList{ QStringLiteral("a") });
    RsWebSocketHandshakeOptions assigned;
    assigned = std::move(moved);
    QCOMPARE(assigned.subprotocols(), QStringList{ QStringLiteral("a") });
    // a moved-from object can be assigned and used again
    moved = b;
    QCOMPARE(moved.subprotocols(), QStringList{ QStringLiteral("b") });

    a.swap(b);
    QCOMPARE(a.subprotocols(), QStringList{ QStringLiteral("b") });
    QCOMPARE(b.subprotocols(), QStringList{ QStringLiteral("a") });
}

void tst_RsWebSocketHandshakeOptions::comparison_data()
{
    QTest::addColumn<QStringList>("left");
    QTest::addColumn<QStringList>("right");
    QTest::addColumn<bool>("equal");
    QTest::newRow("both empty") << QStringList() << QStringList() << true;
    QTest::newRow("same") << QStringList{ QStringLiteral("x") } << QStringList{ QStringLiteral("x") }
                          << true;
    QTest::newRow("different") << QStringList{ QStringLiteral("x") }
                               << QStringList{ QStringLiteral("y") } << false;
    QTest::newRow("order matters")
            << QStringList{ QStringLiteral("x"), QStringLiteral("y") }
            << QStringList{ QStringLiteral("y"), QStringLiteral("x") } << false;
}

void tst_RsWebSocketHandshakeOptions::comparison()
{
    QFETCH(QStringList, left);
    QFETCH(QStringList, right);
    QFETCH(bool, equal);
    RsWebSocketHandshakeOptions a;
    a.setSubprotocols(left);
    RsWebSocketHandshakeOptions b;
    b.setSubprotocols(right);
    QCOMPARE(a == b, equal);
    QCOMPARE(a != b, !equal);
    QWebSocketHandshakeOptions qa;
    qa.setSubprotocols(left);
    QWebSocketHandshakeOptions qb;
    qb.setSubprotocols(right);
    QCOMPARE(a == b, qa == qb);
}

QTEST_MAIN(tst_RsWebSocketHandshakeOptions)
#include "tst_rswebsockethandshakeoptions.moc"
