// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#include <RsWebSockets/rsmaskgenerator.h>

/*!
    \class RsMaskGenerator
    \brief Abstract source of the 32-bit masking keys of client frames (QMaskGenerator).

    Subclass it and pass an instance to RsWebSocket::setMaskGenerator(), which then masks every
    frame the client sends with nextMask(). As with QMaskGenerator, seed() initialises the
    generator; the socket seeds its default generator, an application seeds its own.
*/

RsMaskGenerator::RsMaskGenerator(QObject *parent)
    : QObject(parent)
{
}

RsMaskGenerator::~RsMaskGenerator() = default;
