using System.Text;

namespace NetLab.Protocols.Ftp;

/// <summary>One line of an FTP server reply that starts with a reply code (RFC 959 section 4.2).</summary>
/// <remarks>"230 text" is a single-line reply or the last line of a multi-line one (<see cref="IsLast"/>);
/// "230-text" opens a multi-line reply. Lines inside a multi-line reply that do not start with the
/// code and a space or hyphen are continuation text: <see cref="TryParse"/> returns false for them and
/// <see cref="IsContinuationOf"/> says whether a line belongs to an open reply.</remarks>
public readonly record struct FtpReplyLine(int Code, bool IsLast, string Text)
{
    /// <summary>First digit of the code (RFC 959 4.2.1): 1 preliminary, 2 completion, 3 intermediate,
    /// 4 transient failure, 5 permanent failure.</summary>
    public int Category => Code / 100;

    public bool IsPositive => Category is 1 or 2 or 3;

    public static bool TryParse(ReadOnlySpan<byte> line, out FtpReplyLine reply)
    {
        reply = default;
        line = FtpCommandLine.TrimLineEnd(line);
        if (line.Length < 3 || !IsCode(line[..3]))
        {
            return false;
        }
        int code = ((line[0] - '0') * 100) + ((line[1] - '0') * 10) + (line[2] - '0');
        if (line.Length == 3)
        {
            reply = new FtpReplyLine(code, true, "");
            return true;
        }
        if (line[3] != ' ' && line[3] != '-')
        {
            return false;
        }
        ReadOnlySpan<byte> text = line[4..];
        if (!System.Text.Unicode.Utf8.IsValid(text))
        {
            return false;
        }
        reply = new FtpReplyLine(code, line[3] == ' ', Encoding.UTF8.GetString(text));
        return true;
    }

    /// <summary>True when <paramref name="line"/> does not close the multi-line reply with this code,
    /// i.e. it is a text line inside it (RFC 959 4.2: only "code SP" ends the reply).</summary>
    public static bool IsContinuationOf(int openCode, ReadOnlySpan<byte> line)
        => !(TryParse(line, out var reply) && reply.Code == openCode && reply.IsLast);

    /// <summary>The line as a server sends it, with CRLF.</summary>
    public override string ToString() => $"{Code:D3}{(IsLast ? ' ' : '-')}{Text}\r\n";

    private static bool IsCode(ReadOnlySpan<byte> digits)
        => digits[0] is >= (byte)'1' and <= (byte)'5' && char.IsAsciiDigit((char)digits[1]) && char.IsAsciiDigit((char)digits[2]);
}
