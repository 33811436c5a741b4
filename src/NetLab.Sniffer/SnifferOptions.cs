using NetLab.Protocols.Addressing;
using NetLab.Sniffer.Reporting;

namespace NetLab.Sniffer;

/// <summary>Everything the command line sets; <see cref="Validate"/> says what is wrong in words a user can act on.</summary>
public sealed record SnifferOptions
{
    public const int DefaultSnaplen = 262144;

    /// <summary>In immediate mode libpcap's ring holds buffer/snaplen frames; libpcap's 2 MiB default keeps only
    /// eight full-size frames and drops bursts while the runtime warms up, so the default is larger.</summary>
    public const int DefaultBufferSizeKiB = 32 * 1024;

    public string? Interface { get; init; }
    public string? ReadFile { get; init; }
    public TimeSpan? Duration { get; init; }
    public long? Count { get; init; }
    public string? Filter { get; init; }
    public string? WriteFile { get; init; }
    public bool Layers { get; init; }
    public bool Hex { get; init; }
    public bool Quiet { get; init; }
    public ReportFormat? Report { get; init; }
    public string? ReportFile { get; init; }
    public IReadOnlyList<string> MailTo { get; init; } = [];
    public string? Smtp { get; init; }
    public string? SmtpUser { get; init; }
    public string? SmtpPasswordFile { get; init; }
    public bool SmtpStartTls { get; init; }
    public string? MailFrom { get; init; }
    public int Snaplen { get; init; } = DefaultSnaplen;
    public IReadOnlyList<IPv4Address> TrustedDhcp { get; init; } = [];
    public bool NoPromiscuous { get; init; }
    public bool AbsoluteSequence { get; init; }
    public bool Number { get; init; }
    public bool UtcTime { get; init; }
    public int? BufferSizeKiB { get; init; }

    /// <summary>The report format in effect: --report, else guessed from --report-file's extension, else HTML when mailing.</summary>
    public ReportFormat? EffectiveReportFormat => Report ?? (ReportFile is { } file
        ? Path.GetExtension(file).ToUpperInvariant() switch { ".JSON" => ReportFormat.Json, ".HTML" or ".HTM" => ReportFormat.Html, _ => ReportFormat.Text }
        : MailTo.Count > 0 ? ReportFormat.Html : null);

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if ((Interface is null) == (ReadFile is null))
        {
            errors.Add("give either --interface NAME (live capture, needs root) or --read FILE (a pcap or pcapng file), not both and not neither");
        }
        if (ReadFile is not null && !File.Exists(ReadFile))
        {
            errors.Add($"--read {ReadFile}: no such file");
        }
        if (ReadFile is not null && Duration is not null)
        {
            errors.Add("--duration applies to live capture only; use --count to stop early when reading a file");
        }
        if (Duration is { } d && d <= TimeSpan.Zero)
        {
            errors.Add("--duration must be a positive number of seconds (e.g. --duration 30)");
        }
        if (Count is <= 0)
        {
            errors.Add("--count must be a positive number of frames");
        }
        if (Snaplen is < 64 or > DefaultSnaplen)
        {
            errors.Add($"--snaplen must be between 64 and {DefaultSnaplen} bytes");
        }
        if (BufferSizeKiB is <= 0)
        {
            errors.Add("--buffer-size must be a positive number of KiB");
        }
        if (MailTo.Count > 0 && Smtp is null)
        {
            errors.Add("--mail-to needs --smtp HOST[:PORT] to say which SMTP server sends the mail");
        }
        if (Smtp is not null && MailTo.Count == 0)
        {
            errors.Add("--smtp needs --mail-to ADDRESS to say who gets the report");
        }
        foreach (string address in MailTo.Append(MailFrom ?? "sniffer@localhost"))
        {
            if (!System.Net.Mail.MailAddress.TryCreate(address, out _))
            {
                errors.Add($"'{address}' is not a mail address (expected name@domain)");
            }
        }
        if ((SmtpUser is null) != (SmtpPasswordFile is null))
        {
            errors.Add("--smtp-user and --smtp-password-file go together (the password is read from the file, never from the command line)");
        }
        if (SmtpPasswordFile is not null && !File.Exists(SmtpPasswordFile))
        {
            errors.Add($"--smtp-password-file {SmtpPasswordFile}: no such file");
        }
        if (Smtp is not null && !Mail.MailSettings.TryParseServer(Smtp, out _, out _, out string? smtpError))
        {
            errors.Add(smtpError!);
        }
        if (WriteFile is not null && Directory.Exists(WriteFile))
        {
            errors.Add($"--write {WriteFile} is a directory; give a file name such as capture.pcap");
        }
        return errors;
    }
}
