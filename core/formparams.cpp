#include "formparams.h"

#include "textcodec.h"

#include <QByteArrayView>
#include <QString>

namespace km {

namespace {

std::string decodeComponent(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+') {
            out += ' ';
        } else if (c == '%' && i + 2 < text.size() && hexDigitValue(text[i + 1]) >= 0
                   && hexDigitValue(text[i + 2]) >= 0) {
            out += static_cast<char>(hexDigitValue(text[i + 1]) * 16 + hexDigitValue(text[i + 2]));
            i += 2;
        } else {
            out += c;
        }
    }
    // Invalid UTF-8 would make the NDJSON output invalid too; replace it as a browser would.
    if (!QByteArrayView(out.data(), static_cast<qsizetype>(out.size())).isValidUtf8())
        out = QString::fromUtf8(out.data(), static_cast<qsizetype>(out.size())).toStdString();
    return out;
}

} // namespace

std::vector<ReceivedParam> decodeFormParams(std::string_view text)
{
    std::vector<ReceivedParam> out;
    std::size_t pos = 0;
    while (pos <= text.size()) {
        std::size_t end = text.find('&', pos);
        if (end == std::string_view::npos)
            end = text.size();
        const std::string_view pair = text.substr(pos, end - pos);
        if (!pair.empty()) {
            const std::size_t eq = pair.find('=');
            if (eq == std::string_view::npos)
                out.push_back({decodeComponent(pair), std::nullopt});
            else
                out.push_back({decodeComponent(pair.substr(0, eq)), decodeComponent(pair.substr(eq + 1))});
        }
        pos = end + 1;
    }
    return out;
}

} // namespace km
