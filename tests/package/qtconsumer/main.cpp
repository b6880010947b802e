// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

// A Qt program against the installed RsWebSockets::Qt: the Qt overloads are declared by the same
// include, and the Rust archive is linked without the consumer naming it.

#include <RsWebSockets/RsWebSocketProtocol>

#include <QtCore/QByteArray>
#include <QtCore/QString>
#include <QtCore/QTextStream>

#if __has_include(<rust/cxx.h>)
#  error "rust/cxx.h must not be reachable from the installed package"
#endif

int main()
{
    QTextStream out(stdout);
    int failures = 0;
    auto expect = [&](bool ok, const QString &what) {
        if (!ok) {
            out << "FAIL: " << what << Qt::endl;
            ++failures;
        }
    };
    QByteArray payload = QByteArrayLiteral("Hello");
    RsWebSocketProtocol::mask(&payload, 0x37fa213du);
    expect(payload == QByteArray::fromHex("7f9f4d5158"), QStringLiteral("mask(QByteArray *)"));
    expect(RsWebSocketProtocol::versionFromString(QStringLiteral(" 8 ")) == RsWebSocketProtocol::Version8,
           QStringLiteral("versionFromString(QStringView)"));
    expect(RsWebSocketProtocol::versionFromString(u"13") == RsWebSocketProtocol::VersionLatest,
           QStringLiteral("versionFromString(u\"13\")"));
    const quint64 size = quint64(payload.size());
    RsWebSocketProtocol::mask(payload.data(), size, quint32(0x37fa213du));
    expect(payload == QByteArrayLiteral("Hello"), QStringLiteral("mask(char *, quint64, quint32)"));
    out << "RsWebSockets Qt consumer: " << (failures ? "FAILED" : "ok") << Qt::endl;
    return failures == 0 ? 0 : 1;
}
