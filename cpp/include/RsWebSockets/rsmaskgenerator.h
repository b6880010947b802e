// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#ifndef RSMASKGENERATOR_H
#define RSMASKGENERATOR_H

#include <RsWebSockets/rswebsockets_global.h>

#include <QtCore/QObject>

// QMaskGenerator with the Rs prefix: the source of the 32-bit masking keys a client puts on
// every frame (RFC 6455 section 5.3). RsWebSocket uses a default generator backed by the
// operating system's CSPRNG; set your own with RsWebSocket::setMaskGenerator() (for example a
// deterministic one in tests). A key of 0 is never used on the wire.
class RSWEBSOCKETS_EXPORT RsMaskGenerator : public QObject
{
    Q_DISABLE_COPY(RsMaskGenerator)

public:
    explicit RsMaskGenerator(QObject *parent = nullptr);
    ~RsMaskGenerator() override;

    // Initialises the generator; returns false if it cannot produce masks.
    virtual bool seed() = 0;
    // Returns the next masking key.
    virtual quint32 nextMask() = 0;
};

#endif // RSMASKGENERATOR_H
