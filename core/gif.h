#pragma once

#include <QByteArray>

namespace km {

// The 1x1 transparent GIF89a (43 bytes) a tracking pixel answers with, as Kissmetrics does.
inline QByteArray transparentGif()
{
    static const unsigned char bytes[] = {
            'G',  'I',  'F',  '8',  '9',  'a',  //
            0x01, 0x00, 0x01, 0x00,             // logical screen 1x1
            0x80, 0x00, 0x00,                   // global colour table of 2 entries, background 0, no aspect ratio
            0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, // black, white
            0x21, 0xF9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00,             // graphic control: colour 0 is transparent
            0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, // image at 0,0, 1x1
            0x02, 0x02, 0x44, 0x01, 0x00,                               // LZW data for one pixel of colour 0
            0x3B,                                                       // trailer
    };
    static_assert(sizeof bytes == 43);
    return QByteArray::fromRawData(reinterpret_cast<const char *>(bytes), sizeof bytes);
}

} // namespace km
