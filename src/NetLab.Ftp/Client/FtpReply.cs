namespace NetLab.Ftp.Client;

/// <summary>A complete server reply: its code and every line of text (multi-line replies keep all).</summary>
public sealed record FtpReply(int Code, IReadOnlyList<string> Lines)
{
    public bool IsPositiveCompletion => Code / 100 == 2;
    public bool IsPositivePreliminary => Code / 100 == 1;
    public bool IsPositiveIntermediate => Code / 100 == 3;
    public string Text => string.Join('\n', Lines);

    public override string ToString() => Lines.Count == 1 ? $"{Code} {Lines[0]}" : $"{Code} {Text}";
}

/// <summary>The server refused a command; the message is the server's own reply.</summary>
public sealed class FtpReplyException(string command, FtpReply reply)
    : Exception($"{command} failed: {reply}")
{
    public FtpReply Reply { get; } = reply;
}
