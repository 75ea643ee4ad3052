#include "messagestream.h"

#include "harcapture.h"
#include "jsops.h"
#include "textcodec.h"
#include <QIODevice>

#include <algorithm>
#include <cstring>
#include <span>

namespace km {

namespace {

constexpr std::size_t npos = std::string_view::npos;

inline bool isJsonSpace(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

std::size_t skipSpace(std::string_view text, std::size_t pos)
{
    while (pos < text.size() && isJsonSpace(text[pos]))
        ++pos;
    return pos;
}

std::string placeText(int line, int column)
{
    return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": ";
}

// The scanners below find where values end without building them: to tell the input forms
// apart, and to find where the elements of an already parsed document start. On text that is
// not JSON they stay in bounds and answer npos when a value does not end inside the text.

// pos is at the opening quote; returns the position after the closing one.
std::size_t skipString(std::string_view text, std::size_t pos)
{
    std::size_t from = pos + 1;
    for (;;) {
        const std::size_t quote = text.find('"', from);
        if (quote == npos)
            return npos;
        std::size_t backslashes = 0;
        while (quote - backslashes > pos + 1 && text[quote - backslashes - 1] == '\\')
            ++backslashes;
        if (backslashes % 2 == 0)
            return quote + 1;
        from = quote + 1;
    }
}

std::size_t skipValue(std::string_view text, std::size_t pos)
{
    if (pos >= text.size())
        return npos;
    const char c = text[pos];
    if (c == '"')
        return skipString(text, pos);
    if (c == '{' || c == '[') {
        std::size_t depth = 0;
        while (pos < text.size()) {
            switch (text[pos]) {
            case '"':
                pos = skipString(text, pos);
                if (pos == npos)
                    return npos;
                continue;
            case '{':
            case '[':
                ++depth;
                break;
            case '}':
            case ']':
                if (--depth == 0)
                    return pos + 1;
                break;
            default:
                break;
            }
            ++pos;
        }
        return npos;
    }
    while (pos < text.size() && !isJsonSpace(text[pos]) && !std::strchr(",:[]{}\"", text[pos]))
        ++pos;
    return pos;
}

// Compares a raw (still escaped) JSON key with a plain ASCII name.
bool keyEquals(std::string_view raw, std::string_view name)
{
    if (raw.find('\\') == npos)
        return raw == name;
    std::size_t n = 0;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        char c = raw[i];
        if (c == '\\' && i + 1 < raw.size()) {
            const char e = raw[++i];
            if (e == 'u') {
                if (i + 4 >= raw.size())
                    return false;
                unsigned cp = 0;
                if (!readHex4(raw, i + 1, &cp))
                    return false;
                if (cp >= 0x80)
                    return false;
                c = static_cast<char>(cp);
                i += 4;
            } else {
                switch (e) {
                case 'b':
                    c = '\b';
                    break;
                case 'f':
                    c = '\f';
                    break;
                case 'n':
                    c = '\n';
                    break;
                case 'r':
                    c = '\r';
                    break;
                case 't':
                    c = '\t';
                    break;
                default:
                    c = e;
                    break; // '"', '\\', '/'
                }
            }
        }
        if (n >= name.size() || name[n] != c)
            return false;
        ++n;
    }
    return n == name.size();
}

bool positionBefore(int line, int column, const TextLocator::Position &p)
{
    return line < p.line || (line == p.line && column < p.column);
}

} // namespace

struct MessageStream::Private
{
    bool fill();
    void shrinkBuffer();
    std::size_t findNewline(std::size_t from);
    std::size_t findNonSpace(std::size_t from);
    bool nextLine(std::string_view &line, std::size_t &readable);
    void detect();
    void loadDocument();
    bool nextNdjson(InputMessage &out, Arena &arena);
    bool nextDocument(InputMessage &out);
    bool nextElement(InputMessage &out);
    bool nextCall(InputMessage &out);
    bool finish(InputMessage &out);
    void releaseBuffer();

    std::size_t unread() const { return m_end - m_begin; }
    const char *unreadData() const { return m_base + m_begin; }

    // Input: a device read in chunks into m_buffer, or all of m_data at once. The unread bytes
    // are [m_begin, m_end) of m_base; m_allocated bytes of m_base may be read (simdjson padding).
    QIODevice *m_device = nullptr;
    QByteArray m_data;
    std::vector<char> m_buffer;
    std::size_t m_chunkSize = DefaultChunkSize;
    const char *m_base = nullptr;
    std::size_t m_allocated = 0;
    std::size_t m_begin = 0;
    std::size_t m_end = 0;
    std::size_t m_lineScanned = 0; // unread bytes already searched for '\n'
    bool m_atEnd = false;
    std::string m_readError;

    Format m_format = Format::Unknown;
    JsonReader m_reader;
    JsonReader::StringStorage m_lineStrings = JsonReader::StringStorage::Arena;
    MessageStream::Conversion m_conversion = MessageStream::Conversion::Immediate;
    int m_line = 1; // line number of the byte at m_begin (NDJSON), or of the document start
    std::size_t m_index = 0;

    // Document forms: the whole input parsed once into m_documentArena.
    std::unique_ptr<Arena> m_documentArena;
    std::string_view m_documentText;
    std::unique_ptr<TextLocator> m_locator;
    Value m_document;
    std::string m_documentError;
    bool m_documentDone = false;
    std::span<const Value> m_items;
    std::size_t m_item = 0;
    std::size_t m_scan = 0; // in m_documentText: where the next array element is searched
    std::vector<JsonIssue> m_warnings;
    std::size_t m_warning = 0;
    std::unique_ptr<HarCapture> m_capture; // Format::Har
};

bool MessageStream::Private::fill()
{
    if (m_atEnd || !m_device)
        return false;
    shrinkBuffer();
    std::size_t capacity = m_buffer.empty() ? 0 : m_buffer.size() - JsonReader::Padding;
    if (capacity - m_end < m_chunkSize) {
        const std::size_t kept = m_end - m_begin;
        if (m_begin > 0 && kept > 0)
            std::memmove(m_buffer.data(), m_buffer.data() + m_begin, kept);
        m_begin = 0;
        m_end = kept;
        if (capacity - kept < m_chunkSize) {
            capacity = std::max({2 * m_chunkSize, 2 * capacity, kept + m_chunkSize});
            m_buffer.resize(capacity + JsonReader::Padding);
        }
    }
    m_base = m_buffer.data();
    m_allocated = m_buffer.size();
    for (;;) {
        const qint64 n = m_device->read(m_buffer.data() + m_end, static_cast<qint64>(m_chunkSize));
        if (n > 0) {
            m_end += static_cast<std::size_t>(n);
            return true;
        }
        if (n < 0) {
            m_readError = m_device->errorString().toStdString();
            if (m_readError.empty())
                m_readError = "the input could not be read";
            break;
        }
        // Pipes and sockets may have nothing yet without being finished.
        if (!m_device->isSequential() || !m_device->waitForReadyRead(-1))
            break;
    }
    m_atEnd = true;
    return false;
}

void MessageStream::Private::shrinkBuffer()
{
    // A long line made the buffer grow; give that memory back once the line is consumed.
    const std::size_t initialCapacity = 2 * m_chunkSize;
    if (m_buffer.size() <= 2 * initialCapacity + JsonReader::Padding || unread() + m_chunkSize > initialCapacity)
        return;
    std::vector<char> smaller(initialCapacity + JsonReader::Padding);
    std::memcpy(smaller.data(), m_buffer.data() + m_begin, unread());
    m_buffer.swap(smaller);
    m_end = unread();
    m_begin = 0;
    m_base = m_buffer.data();
    m_allocated = m_buffer.size();
}

// Offsets are relative to m_begin, which reading more input does not change.
std::size_t MessageStream::Private::findNewline(std::size_t from)
{
    for (;;) {
        if (from < unread()) {
            const void *nl = std::memchr(unreadData() + from, '\n', unread() - from);
            if (nl)
                return static_cast<std::size_t>(static_cast<const char *>(nl) - unreadData());
            from = unread();
        }
        if (!fill())
            return npos;
    }
}

std::size_t MessageStream::Private::findNonSpace(std::size_t from)
{
    for (;;) {
        while (from < unread() && isJsonSpace(unreadData()[from]))
            ++from;
        if (from < unread())
            return from;
        if (!fill())
            return npos;
    }
}

bool MessageStream::Private::nextLine(std::string_view &line, std::size_t &readable)
{
    if (m_device)
        shrinkBuffer();
    for (;;) {
        if (m_lineScanned < unread()) {
            const char *from = unreadData() + m_lineScanned;
            const void *nl = std::memchr(from, '\n', unread() - m_lineScanned);
            if (nl) {
                const auto length = static_cast<std::size_t>(static_cast<const char *>(nl) - unreadData());
                line = {unreadData(), length};
                readable = m_allocated - m_begin;
                m_begin += length + 1;
                m_lineScanned = 0;
                return true;
            }
            m_lineScanned = unread();
        }
        if (!fill()) {
            if (unread() == 0)
                return false;
            line = {unreadData(), unread()}; // last line without a newline
            readable = m_allocated - m_begin;
            m_begin = m_end;
            m_lineScanned = 0;
            return true;
        }
    }
}

void MessageStream::Private::detect()
{
    while (unread() < 3 && fill()) {
    }
    if (unread() >= 3 && std::memcmp(unreadData(), "\xEF\xBB\xBF", 3) == 0)
        m_begin += 3;

    // Leading blank lines are no messages; drop them so the first line decides the form.
    std::size_t newline = npos;
    std::string_view line;
    std::size_t first = npos;
    for (;;) {
        newline = findNewline(0);
        line = {unreadData(), newline == npos ? unread() : newline};
        first = skipSpace(line, 0);
        if (first < line.size())
            break;
        if (newline == npos) {
            m_begin = m_end;
            m_format = Format::Empty;
            return;
        }
        m_begin += newline + 1;
        ++m_line;
    }

    if (line[first] == '[') {
        loadDocument();
        return;
    }
    // One complete value alone on the first line, followed by nothing, is a document; followed
    // by more lines it is NDJSON. A first line that does not complete its value is the start of
    // a pretty-printed document, unless the next line starts a new object (a broken NDJSON line).
    bool ndjson = false;
    const std::size_t valueEnd = skipValue(line, first);
    if (valueEnd != npos) {
        if (skipSpace(line, valueEnd) < line.size())
            ndjson = true;
        else
            ndjson = newline != npos && findNonSpace(newline + 1) != npos;
    } else if (newline != npos) {
        const std::size_t next = findNonSpace(newline + 1);
        ndjson = next != npos && unreadData()[next] == '{';
    }
    if (ndjson)
        m_format = Format::Ndjson;
    else
        loadDocument();
}

void MessageStream::Private::loadDocument()
{
    while (fill()) {
    }
    m_documentText = {unreadData(), unread()};
    m_documentArena = std::make_unique<Arena>();
    m_locator = std::make_unique<TextLocator>(m_documentText, m_line);
    // The document's messages are handed out one by one from this one parse: keep every string.
    m_reader.setStringStorage(JsonReader::StringStorage::Arena);
    JsonResult result = m_reader.parse(m_documentText, m_allocated - m_begin, *m_documentArena, m_line);
    m_format = Format::Document;
    if (!result.ok()) {
        m_documentError = result.error->toString();
        return;
    }
    m_document = result.value;
    m_warnings = std::move(result.warnings);
    if (HarCapture::isCapture(m_document)) {
        m_format = Format::Har;
        m_capture = std::make_unique<HarCapture>(HarCapture::read(m_document, m_documentText, m_line));
        return;
    }
    const std::size_t start = skipSpace(m_documentText, 0);
    if (m_document.isArray()) {
        m_format = Format::Array;
        m_items = m_document.items();
        m_scan = start + 1;
        return;
    }
    const Value *batch = m_document.find("batch");
    if (!batch || !batch->isArray())
        return;
    m_format = Format::Batch;
    m_items = batch->items();
    // Find the text of the batch array: the last "batch" key wins, as in JSON.parse.
    const std::string_view text = m_documentText;
    std::size_t pos = start + 1;
    std::size_t batchAt = npos;
    while (pos < text.size()) {
        pos = skipSpace(text, pos);
        if (pos >= text.size() || text[pos] != '"')
            break;
        const std::size_t keyEnd = skipString(text, pos);
        if (keyEnd == npos)
            break;
        const bool isBatch = keyEquals(text.substr(pos + 1, keyEnd - pos - 2), "batch");
        pos = skipSpace(text, keyEnd) + 1; // ':'
        pos = skipSpace(text, pos);
        if (isBatch)
            batchAt = pos;
        pos = skipValue(text, pos);
        if (pos == npos)
            break;
        pos = skipSpace(text, pos);
        if (pos < text.size() && text[pos] == ',')
            ++pos;
    }
    m_scan = batchAt == npos ? text.size() : batchAt + 1;
}

bool MessageStream::Private::nextDocument(InputMessage &out)
{
    if (m_documentDone)
        return finish(out);
    m_documentDone = true;
    out.index = m_index++;
    out.line = m_line;
    out.value = {};
    out.warnings.clear();
    if (!m_documentError.empty()) {
        out.error = m_documentError;
        return true;
    }
    if (!m_document.isObject()) {
        const auto pos = m_locator->locate(skipSpace(m_documentText, 0));
        out.error = placeText(pos.line, pos.column) + "message " + std::to_string(out.index) + " is "
                    + js::typeDescription(m_document) + ", not a JSON object";
        return true;
    }
    out.error.clear();
    out.value = m_document;
    out.warnings = m_warnings;
    return true;
}

bool MessageStream::Private::nextElement(InputMessage &out)
{
    if (m_item >= m_items.size())
        return finish(out);
    const std::size_t element = m_item++;
    const Value value = m_items[element];
    const std::string_view text = m_documentText;
    const std::size_t start = std::min(skipSpace(text, m_scan), text.size());
    std::size_t end = skipValue(text, start);
    if (end == npos)
        end = text.size();
    m_scan = skipSpace(text, end);
    if (m_scan < text.size() && text[m_scan] == ',')
        ++m_scan;

    const auto begin = m_locator->locate(start);
    out.index = m_index++;
    out.line = begin.line;
    out.warnings.clear();
    if (m_warning < m_warnings.size()) {
        // Warnings come in text order; those before this element belong to ignored members.
        const auto stop = m_locator->locate(end);
        while (m_warning < m_warnings.size()) {
            const JsonIssue &w = m_warnings[m_warning];
            if (!positionBefore(w.line, w.column, stop))
                break;
            if (!positionBefore(w.line, w.column, begin))
                out.warnings.push_back(w);
            ++m_warning;
        }
    }
    if (!value.isObject()) {
        out.value = {};
        out.error = placeText(begin.line, begin.column) + "message " + std::to_string(out.index) + " ("
                    + (m_format == Format::Batch ? "batch" : "array") + " element " + std::to_string(element) + ") is "
                    + js::typeDescription(value) + ", not a JSON object";
        return true;
    }
    out.error.clear();
    out.value = value;
    return true;
}

bool MessageStream::Private::nextCall(InputMessage &out)
{
    const std::vector<HarCall> &calls = m_capture->calls();
    if (calls.empty() && !m_documentDone) {
        // Nothing to translate is worth saying: the user expected calls in this file.
        m_documentDone = true;
        out.index = m_index++;
        out.line = m_line;
        out.value = {};
        out.warnings.clear();
        const std::size_t entries = m_capture->entryCount();
        out.error = placeText(m_line, 1) + "a HAR capture with " + std::to_string(entries)
                    + (entries == 1 ? " entry" : " entries")
                    + " and no Segment call in them (no POST to Segment's …/v1/t, /p, /i, /g, /a, /s or /b)";
        return true;
    }
    if (m_item >= calls.size())
        return finish(out);
    const HarCall &call = calls[m_item++];
    out.index = m_index++;
    out.line = call.line;
    out.value = call.value;
    out.error = call.error;
    out.warnings = call.warnings;
    return true;
}

bool MessageStream::Private::nextNdjson(InputMessage &out, Arena &arena)
{
    std::string_view line;
    std::size_t readable = 0;
    for (;;) {
        if (!nextLine(line, readable))
            return finish(out);
        const int lineNumber = m_line++;
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        const std::size_t first = skipSpace(line, 0);
        if (first == line.size())
            continue; // blank lines are no messages

        m_reader.setStringStorage(m_lineStrings);
        if (m_conversion == Conversion::Deferred) {
            const JsonTape tape = m_reader.parseTape(line, readable);
            if (!tape.isNull() && tape.type(JsonTape::Root) == '{') {
                out.index = m_index++;
                out.line = lineNumber;
                out.warnings.clear(); // the fast parser takes only texts that give no warnings
                out.error.clear();
                out.value = {};
                out.tape = tape;
                return true;
            }
        }
        JsonResult result = m_reader.parse(line, readable, arena, lineNumber);
        out.index = m_index++;
        out.line = lineNumber;
        if (result.warnings.empty())
            out.warnings.clear();
        else
            out.warnings = std::move(result.warnings);
        if (!result.ok()) {
            out.value = {};
            out.error = result.error->toString();
        } else if (!result.value.isObject()) {
            out.value = {};
            // Leading whitespace is ASCII, so its byte count is its column count.
            out.error = placeText(lineNumber, static_cast<int>(first) + 1) + "message " + std::to_string(out.index)
                        + " is " + js::typeDescription(result.value) + ", not a JSON object";
        } else {
            out.error.clear();
            out.value = result.value;
        }
        return true;
    }
}

bool MessageStream::Private::finish(InputMessage &out)
{
    if (!m_readError.empty()) {
        out.index = m_index++;
        out.line = m_line;
        out.value = {};
        out.warnings.clear();
        out.error = "read error near line " + std::to_string(m_line) + ": " + m_readError;
        m_readError.clear();
        return true;
    }
    releaseBuffer();
    return false;
}

void MessageStream::Private::releaseBuffer()
{
    // Values never point into the input text, so it can go once everything is handed out.
    m_documentText = {};
    m_locator.reset();
    std::vector<char>().swap(m_buffer);
    m_base = m_data.constData();
    m_allocated = 0;
    m_begin = m_end = 0;
}

MessageStream::MessageStream(QIODevice *device, std::size_t chunkSize)
    : d(std::make_unique<Private>())
{
    d->m_device = device;
    d->m_chunkSize = std::max<std::size_t>(chunkSize, 1);
    if (!device) {
        d->m_atEnd = true;
    } else if (!device->isReadable()) {
        d->m_atEnd = true;
        d->m_readError = "the input is not open for reading";
    }
}

MessageStream::MessageStream(QByteArray data)
    : d(std::make_unique<Private>())
{
    d->m_data = std::move(data);
    d->m_base = d->m_data.constData();
    d->m_allocated = static_cast<std::size_t>(d->m_data.size());
    d->m_end = d->m_allocated;
    d->m_atEnd = true;
}

MessageStream::~MessageStream() = default;

bool MessageStream::next(InputMessage &out, Arena &arena)
{
    out.tape = {};
    if (d->m_format == Format::Unknown)
        d->detect();
    switch (d->m_format) {
    case Format::Ndjson:
        return d->nextNdjson(out, arena);
    case Format::Document:
        return d->nextDocument(out);
    case Format::Array:
    case Format::Batch:
        return d->nextElement(out);
    case Format::Har:
        return d->nextCall(out);
    case Format::Empty:
    case Format::Unknown:
        break;
    }
    return d->finish(out);
}

void MessageStream::setConversion(Conversion conversion)
{
    d->m_conversion = conversion;
}

void MessageStream::convert(InputMessage &message, Arena &arena)
{
    if (!message.isDeferred())
        return;
    message.tape = {};
    JsonResult result = d->m_reader.convertTape(arena, message.line);
    // The exact parser may still find what the fast one let through (a possible -0 is re-read).
    message.warnings = std::move(result.warnings);
    if (!result.ok()) {
        message.value = {};
        message.error = result.error->toString();
        return;
    }
    message.value = result.value;
}

void MessageStream::setStringStorage(JsonReader::StringStorage storage)
{
    d->m_lineStrings = storage;
}

MessageStream::Format MessageStream::format() const
{
    return d->m_format;
}

MessageStream::Format MessageStream::detectFormat()
{
    if (d->m_format == Format::Unknown)
        d->detect();
    return d->m_format;
}

const HarCapture *MessageStream::capture() const
{
    return d->m_capture.get();
}

std::unique_ptr<HarCapture> MessageStream::takeCapture()
{
    return std::move(d->m_capture);
}

std::size_t MessageStream::bufferCapacity() const
{
    return d->m_buffer.capacity() + d->m_reader.bufferCapacity();
}

} // namespace km
