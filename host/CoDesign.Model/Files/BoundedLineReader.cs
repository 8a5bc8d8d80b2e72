using System.Text;

namespace CoDesign.Model.Files;

/// <summary>
/// Reads lines from text with two bounds: a line longer than <c>maxLineChars</c> is refused as soon as
/// it passes the bound (it is never held whole), and the text as a whole may hold at most
/// <c>maxTotalChars</c> characters, so even an endless reader ends with an error.
/// </summary>
internal sealed class BoundedLineReader(TextReader reader, int maxLineChars, long maxTotalChars, Func<string, Exception> error)
{
    private readonly char[] _buffer = new char[8192];
    private readonly StringBuilder _line = new();
    private int _position;
    private int _length;
    private long _total;

    /// <summary>The next line without its line break, or null at the end of the text.</summary>
    public string? ReadLine()
    {
        _line.Clear();
        bool any = false;
        while (true)
        {
            if (_position == _length && !Fill())
            {
                return any ? Finish() : null;
            }

            any = true;
            int newline = Array.IndexOf(_buffer, '\n', _position, _length - _position);
            int end = newline < 0 ? _length : newline;
            if (_line.Length + (end - _position) > maxLineChars + 1)
            {
                // One more than the bound: room for the '\r' of a CRLF line of exactly the bound.
                throw error($"the line is longer than {maxLineChars:N0} characters");
            }

            _line.Append(_buffer, _position, end - _position);
            _position = end;
            if (newline >= 0)
            {
                _position++;
                return Finish();
            }
        }
    }

    private string Finish()
    {
        if (_line.Length > 0 && _line[^1] == '\r')
        {
            _line.Length--;
        }

        if (_line.Length > maxLineChars)
        {
            throw error($"the line is longer than {maxLineChars:N0} characters");
        }

        return _line.ToString();
    }

    private bool Fill()
    {
        _position = 0;
        _length = reader.Read(_buffer, 0, _buffer.Length);
        _total += _length;
        if (_total > maxTotalChars)
        {
            throw error($"the text goes on past {maxTotalChars:N0} characters");
        }

        return _length > 0;
    }
}
