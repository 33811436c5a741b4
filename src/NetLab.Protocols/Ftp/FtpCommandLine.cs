using System.Text;

namespace NetLab.Protocols.Ftp;

/// <summary>One FTP command line from a client: a verb and an optional argument (RFC 959 section 5.3).</summary>
/// <remarks>The verb is upper-cased (commands are case-insensitive, RFC 959 5.3.1). The argument is
/// UTF-8 (RFC 2640 section 2.2) and kept verbatim, including inner and trailing spaces, because file
/// names may contain them. Telnet commands (IAC IP, IAC DM, RFC 854) that clients put in front of
/// ABOR are removed.</remarks>
public readonly record struct FtpCommandLine(string Verb, string Argument)
{
    /// <summary>Longest verb accepted: RFC 959 codes are three or four letters.</summary>
    public const int MaxVerbLength = 4;

    private const byte TelnetIac = 0xFF;
    private const byte TelnetDataMark = 0xF2;

    public bool HasArgument => Argument.Length > 0;

    /// <summary>Parses one line, with or without its CRLF. False for an empty line, a verb that is not
    /// 3-4 ASCII letters, a control character or invalid UTF-8 in the argument.</summary>
    public static bool TryParse(ReadOnlySpan<byte> line, out FtpCommandLine command)
    {
        command = default;
        line = TrimLineEnd(line);
        Span<byte> cleaned = line.Length <= 1024 ? stackalloc byte[line.Length] : new byte[line.Length];
        int length = RemoveTelnetCommands(line, cleaned);
        ReadOnlySpan<byte> text = cleaned[..length];

        int space = text.IndexOf((byte)' ');
        ReadOnlySpan<byte> verb = space < 0 ? text : text[..space];
        ReadOnlySpan<byte> argument = space < 0 ? [] : text[(space + 1)..];
        if (verb.Length is < 3 or > MaxVerbLength)
        {
            return false;
        }
        Span<char> verbChars = stackalloc char[verb.Length];
        for (int i = 0; i < verb.Length; i++)
        {
            byte b = verb[i];
            if (!char.IsAsciiLetter((char)b))
            {
                return false;
            }
            verbChars[i] = char.ToUpperInvariant((char)b);
        }
        foreach (byte b in argument)
        {
            // RFC 959 3.1.1.1: lines end at CRLF; NUL and other control bytes are never part of a path.
            if (b < 0x20 || b == 0x7F)
            {
                return false;
            }
        }
        if (!System.Text.Unicode.Utf8.IsValid(argument))
        {
            return false;
        }
        command = new FtpCommandLine(VerbString(verbChars), Encoding.UTF8.GetString(argument));
        return true;
    }

    /// <summary>The commands of RFC 959 5.3.1, RFC 2228, RFC 2389, RFC 2428 and RFC 3659.</summary>
    private static readonly Dictionary<string, string> KnownVerbs = new[]
    {
        "USER", "PASS", "ACCT", "CWD", "CDUP", "SMNT", "REIN", "QUIT", "PORT", "PASV", "TYPE", "STRU", "MODE", "RETR",
        "STOR", "STOU", "APPE", "ALLO", "REST", "RNFR", "RNTO", "ABOR", "DELE", "RMD", "MKD", "PWD", "LIST", "NLST",
        "SITE", "SYST", "STAT", "HELP", "NOOP", "AUTH", "PBSZ", "PROT", "FEAT", "OPTS", "EPRT", "EPSV", "SIZE", "MDTM",
        "MLSD", "MLST",
    }.ToDictionary(verb => verb);

    /// <summary>A known verb's one shared string (a sniffer parses one per captured command), else a new one.</summary>
    private static string VerbString(ReadOnlySpan<char> verb) =>
        KnownVerbs.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(verb, out string? known) ? known : new string(verb);

    /// <summary>The line as a client sends it, with CRLF.</summary>
    public override string ToString() => Argument.Length == 0 ? Verb + "\r\n" : $"{Verb} {Argument}\r\n";

    internal static ReadOnlySpan<byte> TrimLineEnd(ReadOnlySpan<byte> line)
    {
        if (line.Length > 0 && line[^1] == '\n')
        {
            line = line[..^1];
        }
        if (line.Length > 0 && line[^1] == '\r')
        {
            line = line[..^1];
        }
        return line;
    }

    /// <summary>Drops Telnet IAC sequences (RFC 854) and a leading Data Mark whose IAC was sent as
    /// urgent data; IAC IAC stands for one 0xFF byte.</summary>
    private static int RemoveTelnetCommands(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int written = 0;
        for (int i = 0; i < source.Length; i++)
        {
            byte b = source[i];
            if (b == TelnetIac && i + 1 < source.Length)
            {
                i++;
                if (source[i] == TelnetIac)
                {
                    destination[written++] = TelnetIac;
                }
                continue;
            }
            if (b == TelnetIac || (b == TelnetDataMark && written == 0))
            {
                continue;
            }
            destination[written++] = b;
        }
        return written;
    }
}
