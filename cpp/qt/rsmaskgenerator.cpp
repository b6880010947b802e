// SPDX-FileCopyrightText: 2026 RsWebSockets contributors
// SPDX-License-Identifier: MIT OR Apache-2.0

#include <RsWebSockets/rsmaskgenerator.h>

/*!
    \class RsMaskGenerator
    \brief Abstract source of the 32-bit masking keys of client frames (QMaskGenerator).

    Subclass it and pass an instance to RsWebSocket::setMaskGenerator(). seed() is called
    before the first nextMask(); a generator whose seed() fails is not used.
*/

RsMaskGenerator::RsMaskGenerator(QObject *parent)
    : QObject(parent)
{
}

RsMaskGenerator::~RsMaskGenerator() = default;
