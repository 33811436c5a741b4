using System.Globalization;

namespace NetLab.Sniffer.Mail;

/// <summary>Where and how to send the report. <see cref="Password"/> comes from a file (never a flag, so it
/// stays out of the process list and shell history).</summary>
public sealed record MailSettings(
    IReadOnlyList<string> To, string From, string Host, int Port, bool StartTls, string? User, string? Password)
{
    public const int DefaultPort = 25;

    /// <summary>Parses "HOST[:PORT]" or "[IPv6]:PORT"; returns an error message on bad input.</summary>
    public static bool TryParseServer(string text, out string host, out int port, out string? error)
    {
        host = text;
        port = DefaultPort;
        error = null;
        int colon = text.LastIndexOf(':');
        bool bracketed = text.StartsWith('[');
        if (colon > 0 && (!bracketed || text[colon - 1] == ']') && (bracketed || text.IndexOf(':') == colon))
        {
            host = text[..colon].Trim('[', ']');
            if (!int.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
            {
                error = $"--smtp '{text}': the port must be a number from 1 to 65535 (e.g. mail.lab.test:587)";
                return false;
            }
        }
        if (string.IsNullOrWhiteSpace(host))
        {
            error = $"--smtp '{text}': give the SMTP server as HOST or HOST:PORT (e.g. 127.0.0.1:2525)";
            return false;
        }
        return true;
    }
}
