using System.Text;
using NetLab.Protocols.Auth;

namespace NetLab.Sniffer.Decoding;

public sealed partial class FrameDecoder
{
    /// <summary>NetLab's auth protocol: "NLA/1 {json}\n" lines (docs/auth.md), or TLS records when the service
    /// runs with TLS. Passwords are shown as *** and masked in --hex.</summary>
    private void DecodeAuth(DecodedFrame frame, int offset, ReadOnlySpan<byte> payload)
    {
        // TLS record header: content type 20-23, version 3.x (RFC 8446 5.1).
        if (payload.Length >= 5 && payload[0] is >= 20 and <= 23 && payload[1] == 3)
        {
            var tls = frame.AddLayer("tls", "Transport Layer Security", offset, payload.Length);
            if (Detailed)
            {
                tls.Add("Content type", payload[0] switch { 20 => "change cipher spec", 21 => "alert", 22 => "handshake", _ => "application data" });
                tls.Add("Version", $"3.{payload[2]}");
            }
            _summary.Append(": TLS (auth, encrypted)");
            return;
        }
        var layer = frame.AddLayer("auth", "NetLab auth protocol", offset, payload.Length);
        _summary.Append(": AUTH: ");
        int at = 0;
        int frames = 0;
        while (at < payload.Length)
        {
            var status = AuthFrame.Read(payload[at..], out var auth, out int used, out string? error);
            if (status is AuthFrameStatus.Incomplete or AuthFrameStatus.TooLong || used == 0)
            {
                _summary.Append(frames == 0 ? "(continuation)" : "");
                break;
            }
            if (auth is null)
            {
                Broken(frame, layer, payload.Length + 1, error ?? "not an NLA/1 frame");
                break;
            }
            if (frames++ > 0)
            {
                _summary.Append(" | ");
            }
            _summary.Append(_summary.Enabled ? auth.Describe(showPasswords: false) : null);
            bool carriesPassword = auth.Password is not null || auth.NewPassword is not null;
            frame.Auth = new AuthFacts(auth.OperationName, auth.Email, carriesPassword, auth.IsResponse);
            MaskSecret(frame, offset + at, payload.Slice(at, used), auth.Password);
            MaskSecret(frame, offset + at, payload.Slice(at, used), auth.NewPassword);
            if (Detailed)
            {
                layer.Add(auth.IsResponse ? "Response" : "Request", auth.OperationName);
                layer.Add("Version", $"NLA/{auth.Version}", 1);
                if (auth.Email is not null)
                {
                    layer.Add("Email", auth.Email, 1);
                }
                if (carriesPassword)
                {
                    layer.Add("Password", "**** (sent in clear: use TLS)", 1);
                }
                if (auth.IsResponse)
                {
                    layer.Add("Result", auth.Ok ? "ok" : $"error {auth.Error}: {auth.Message}", 1);
                }
            }
            at += used;
        }
    }

    /// <summary>Records where a password's bytes sit in the frame so --hex never prints them.</summary>
    private static void MaskSecret(DecodedFrame frame, int lineOffset, ReadOnlySpan<byte> line, string? secret)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return;
        }
        byte[] bytes = Encoding.UTF8.GetBytes(secret);
        int from = 0;
        while (from < line.Length)
        {
            int found = line[from..].IndexOf(bytes);
            if (found < 0)
            {
                break;
            }
            (frame.SensitiveRanges ??= []).Add((lineOffset + from + found, bytes.Length));
            from += found + bytes.Length;
        }
    }
}
