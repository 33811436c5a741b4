using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace NetLab.Protocols.Auth;

/// <summary>
/// One message of the NetLab auth protocol: a line <c>NLA/1 {json}\n</c> of at most
/// <see cref="AuthProtocol.MaxFrameLength"/> bytes (docs/auth.md). A request carries "op" and its
/// fields; a response also carries "ok" (true or false) and, on failure, "error" and "message".
/// Unknown JSON members are ignored so later versions can add fields.
/// </summary>
public sealed class AuthFrame
{
    private static readonly JsonWriterOptions s_writerOptions = new()
    {
        // Keep non-ASCII and quotes readable in a capture; control characters and '"' are still escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public int Version { get; init; } = AuthProtocol.Version;

    /// <summary>True when the frame has "ok" (server to client).</summary>
    public bool IsResponse { get; init; }

    public AuthOperation Operation { get; init; }

    /// <summary>"op" exactly as sent (kept for unknown operations).</summary>
    public string OperationName { get; init; } = "";

    public string? Email { get; init; }
    public string? Password { get; init; }
    public string? NewPassword { get; init; }

    public bool Ok { get; init; }
    public string? Error { get; init; }
    public string? Message { get; init; }
    public AuthUserInfo? User { get; init; }
    public int? RetryAfterSeconds { get; init; }

    public static AuthFrame Request(AuthOperation operation, string? email = null, string? password = null, string? newPassword = null) =>
        new() { Operation = operation, OperationName = AuthProtocol.WireName(operation), Email = email, Password = password, NewPassword = newPassword };

    public static AuthFrame Success(AuthOperation operation, string? message = null, AuthUserInfo? user = null) =>
        new() { IsResponse = true, Ok = true, Operation = operation, OperationName = AuthProtocol.WireName(operation), Message = message, User = user };

    public static AuthFrame Failure(AuthOperation operation, string error, string message, int? retryAfterSeconds = null) =>
        new()
        {
            IsResponse = true,
            Operation = operation,
            OperationName = AuthProtocol.WireName(operation),
            Error = error,
            Message = message,
            RetryAfterSeconds = retryAfterSeconds,
        };

    /// <summary>Reads one frame from the start of <paramref name="data"/>; true only for a complete, valid frame.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out AuthFrame? frame, out int bytesRead) =>
        Read(data, out frame, out bytesRead, out _) == AuthFrameStatus.Complete;

    /// <summary>Reads one frame from the start of <paramref name="data"/>. For Complete, Malformed and
    /// UnsupportedVersion, <paramref name="bytesRead"/> covers the whole line; for Incomplete and TooLong it is 0.
    /// <paramref name="error"/> says what is wrong, for the error reply and the log.</summary>
    public static AuthFrameStatus Read(ReadOnlySpan<byte> data, out AuthFrame? frame, out int bytesRead, out string? error)
    {
        frame = null;
        bytesRead = 0;
        error = null;
        int window = Math.Min(data.Length, AuthProtocol.MaxFrameLength);
        int lineEnd = data[..window].IndexOf((byte)'\n');
        if (lineEnd < 0)
        {
            if (window < AuthProtocol.MaxFrameLength)
            {
                return AuthFrameStatus.Incomplete;
            }
            error = $"request longer than {AuthProtocol.MaxFrameLength} bytes";
            return AuthFrameStatus.TooLong;
        }
        bytesRead = lineEnd + 1;
        var line = data[..lineEnd];
        if (!line.IsEmpty && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }
        if (!TryReadVersion(line, out int version, out int jsonStart))
        {
            error = "a frame starts with NLA/1 followed by a space and a JSON object";
            return AuthFrameStatus.Malformed;
        }
        if (version != AuthProtocol.Version)
        {
            error = $"protocol version {version} is not supported; this server speaks NLA/{AuthProtocol.Version}";
            return AuthFrameStatus.UnsupportedVersion;
        }
        frame = TryReadJson(line[jsonStart..], version, out error);
        return frame is null ? AuthFrameStatus.Malformed : AuthFrameStatus.Complete;
    }

    /// <summary>The frame on the wire, line end included.</summary>
    public byte[] ToArray()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{AuthProtocol.Magic}/{Version} ")));
        using (var json = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            WriteJson(json);
        }
        buffer.Write("\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A one-line description for logs and the sniffer. Passwords are shown only when asked:
    /// the sniffer shows them to make the point that plain-text mode exposes them.</summary>
    public string Describe(bool showPasswords)
    {
        var text = new StringBuilder(IsResponse ? "response " : "request ").Append(OperationName);
        if (IsResponse)
        {
            text.Append(Ok ? " ok" : " error=" + Error);
        }
        if (Email is not null)
        {
            text.Append(" email=").Append(Email);
        }
        if (Password is not null)
        {
            text.Append(" password=").Append(showPasswords ? Password : "***");
        }
        if (NewPassword is not null)
        {
            text.Append(" new_password=").Append(showPasswords ? NewPassword : "***");
        }
        if (User is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" user={User.Email}#{User.Id}");
        }
        if (RetryAfterSeconds is int retry)
        {
            text.Append(CultureInfo.InvariantCulture, $" retry_after={retry}s");
        }
        if (Message is not null)
        {
            text.Append(" \"").Append(Message).Append('"');
        }
        return text.ToString();
    }

    public override string ToString() => Describe(showPasswords: false);

    private static bool TryReadVersion(ReadOnlySpan<byte> line, out int version, out int jsonStart)
    {
        version = 0;
        jsonStart = 0;
        ReadOnlySpan<byte> magic = "NLA/"u8;
        if (!line.StartsWith(magic))
        {
            return false;
        }
        int i = magic.Length;
        for (; i < line.Length && char.IsAsciiDigit((char)line[i]) && i < magic.Length + 5; i++)
        {
            version = version * 10 + (line[i] - '0');
        }
        if (i == magic.Length || i >= line.Length || line[i] != (byte)' ')
        {
            return false;
        }
        jsonStart = i + 1;
        return true;
    }

    private static AuthFrame? TryReadJson(ReadOnlySpan<byte> json, int version, out string? error)
    {
        error = null;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 4 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "the payload must be a JSON object";
                return null;
            }
            var fields = new Fields();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                reader.Read();
                fields.Set(name, ref reader);
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                error = "trailing data after the JSON object";
                return null;
            }
            if (fields.Op is null)
            {
                error = "the JSON object has no \"op\"";
                return null;
            }
            return new AuthFrame
            {
                Version = version,
                IsResponse = fields.Ok is not null,
                Ok = fields.Ok ?? false,
                Operation = AuthProtocol.ParseOperation(fields.Op),
                OperationName = fields.Op,
                Email = fields.Email,
                Password = fields.Password,
                NewPassword = fields.NewPassword,
                Error = fields.Error,
                Message = fields.Message,
                User = fields.User,
                RetryAfterSeconds = fields.RetryAfter,
            };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or OverflowException)
        {
            // Utf8JsonReader reports bad JSON, bad UTF-8 and wrong token types by throwing; stop at our boundary.
            error = "malformed JSON: " + e.Message;
            return null;
        }
    }

    private void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("op", OperationName);
        if (IsResponse)
        {
            json.WriteBoolean("ok", Ok);
            WriteIfSet(json, "error", Error);
        }
        WriteIfSet(json, "email", Email);
        WriteIfSet(json, "password", Password);
        WriteIfSet(json, "new_password", NewPassword);
        if (User is not null)
        {
            json.WriteStartObject("user");
            json.WriteNumber("id", User.Id);
            json.WriteString("email", User.Email);
            json.WriteString("created", User.Created.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            if (User.LastLogin is { } last)
            {
                json.WriteString("last_login", last.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
            }
            else
            {
                json.WriteNull("last_login");
            }
            json.WriteEndObject();
        }
        if (RetryAfterSeconds is int retry)
        {
            json.WriteNumber("retry_after", retry);
        }
        WriteIfSet(json, "message", Message);
        json.WriteEndObject();
    }

    private static void WriteIfSet(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    /// <summary>The members read so far; unknown ones are skipped.</summary>
    private sealed class Fields
    {
        public string? Op, Email, Password, NewPassword, Error, Message;
        public bool? Ok;
        public int? RetryAfter;
        public AuthUserInfo? User;

        public void Set(string name, ref Utf8JsonReader reader)
        {
            switch (name)
            {
                case "op": Op = reader.GetString(); break;
                case "email": Email = reader.GetString(); break;
                case "password": Password = reader.GetString(); break;
                case "new_password": NewPassword = reader.GetString(); break;
                case "error": Error = reader.GetString(); break;
                case "message": Message = reader.GetString(); break;
                case "ok": Ok = reader.GetBoolean(); break;
                case "retry_after": RetryAfter = reader.GetInt32(); break;
                case "user": User = ReadUser(ref reader); break;
                default: reader.Skip(); break;
            }
        }

        private static AuthUserInfo? ReadUser(ref Utf8JsonReader reader)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                return null;
            }
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new JsonException("\"user\" must be an object");
            }
            long id = 0;
            string email = "";
            DateTimeOffset created = default;
            DateTimeOffset? lastLogin = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = reader.GetString()!;
                reader.Read();
                switch (name)
                {
                    case "id": id = reader.GetInt64(); break;
                    case "email": email = reader.GetString() ?? ""; break;
                    case "created": created = reader.GetDateTimeOffset(); break;
                    case "last_login": lastLogin = reader.TokenType == JsonTokenType.Null ? null : reader.GetDateTimeOffset(); break;
                    default: reader.Skip(); break;
                }
            }
            return new AuthUserInfo(id, email, created, lastLogin);
        }
    }
}
