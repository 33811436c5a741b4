using System.Globalization;
using System.Text;

namespace NetLab.Dhcp.Client;

/// <summary>Parsers for dhcp-client's flag values, each returning a message that says what is wrong and what
/// a good value looks like.</summary>
public static class ClientArguments
{
    /// <summary>"10s", "500ms", "2m", "1h", "1.5s"; a bare number means seconds (as udhcpc's -T).</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration, out string? error)
    {
        duration = default;
        error = $"'{text}' is not a duration; use a number with a unit, e.g. 500ms, 10s, 2m or 1h";
        string trimmed = text.Trim();
        (string number, double unitSeconds) = trimmed switch
        {
            _ when trimmed.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (trimmed[..^2], 0.001),
            _ when trimmed.EndsWith('s') || trimmed.EndsWith('S') => (trimmed[..^1], 1),
            _ when trimmed.EndsWith('m') || trimmed.EndsWith('M') => (trimmed[..^1], 60),
            _ when trimmed.EndsWith('h') || trimmed.EndsWith('H') => (trimmed[..^1], 3600),
            _ => (trimmed, 1),
        };
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value)
            || double.IsInfinity(value) || value * unitSeconds > TimeSpan.FromDays(365).TotalSeconds)
        {
            return false;
        }
        duration = TimeSpan.FromSeconds(value * unitSeconds);
        error = null;
        return true;
    }

    /// <summary>Option 61 (RFC 2132 9.14): hex bytes ("01:02:00:00:00:00:01", "01-02-..", "0102..") are sent as
    /// given, the first being the type; any other text is sent as type 0 followed by the text.</summary>
    public static bool TryParseClientId(string text, out byte[] clientId, out string? error)
    {
        clientId = [];
        if (string.IsNullOrEmpty(text))
        {
            error = "the client identifier is empty; give hex bytes like 01:02:00:00:00:00:01 or a name";
            return false;
        }
        string hex = text.Replace(":", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        bool separated = hex.Length != text.Length;
        if (hex.Length >= 2 && hex.Length % 2 == 0 && hex.All(char.IsAsciiHexDigit))
        {
            clientId = Convert.FromHexString(hex);
        }
        else if (separated && text.Split(':', '-').All(part => part.Length is 1 or 2 && part.All(char.IsAsciiHexDigit)))
        {
            clientId = text.Split(':', '-').Select(part => byte.Parse(part, NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
        }
        else
        {
            clientId = [0, .. Encoding.UTF8.GetBytes(text)];
        }
        // RFC 2132 9.14: the option carries at least two bytes (type and one of identifier); one byte of length.
        if (clientId.Length is < 2 or > 255)
        {
            error = $"client identifier '{text}' must be 2 to 255 bytes (type byte included)";
            return false;
        }
        error = null;
        return true;
    }

    /// <summary>Option 12 (RFC 2132 3.14, host names per RFC 1123): letters, digits, hyphens and dots.</summary>
    public static bool IsValidHostName(string name) =>
        name.Length is >= 1 and <= 253 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.')
        && !name.StartsWith('-') && !name.StartsWith('.');
}
