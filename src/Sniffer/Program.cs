using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text;
using NetLab.Protocols.Addressing;
using NetLab.Sniffer;
using NetLab.Sniffer.Reporting;
using Spectre.Console;

var interfaceOption = new Option<string?>("--interface", "-i") { Description = "Capture live on this interface (needs root or CAP_NET_RAW)" };
var readOption = new Option<string?>("--read", "-r") { Description = "Read frames from a pcap or pcapng file instead of capturing" };
var durationOption = new Option<double?>("--duration") { Description = "Stop a live capture after this many seconds" };
var countOption = new Option<long?>("--count", "-c") { Description = "Stop after this many frames" };
var filterOption = new Option<string?>("--filter", "-f") { Description = "BPF capture filter, pcap-filter(7) syntax, e.g. \"udp port 67 or port 53\"" };
var writeOption = new Option<string?>("--write", "-w") { Description = "Also write the frames to this pcap file (tcpdump and Wireshark open it)" };
var layersOption = new Option<bool>("--layers", "-V") { Description = "Print each frame as a layer tree with every header field and checksums checked" };
var hexOption = new Option<bool>("--hex", "-X") { Description = "Print each frame's bytes in hex with each layer's span marked" };
var quietOption = new Option<bool>("--quiet", "-q") { Description = "Print no per-frame output (the report and alerts still appear)" };
var reportOption = new Option<string?>("--report") { Description = "Print a report at the end: text, json or html" };
reportOption.AcceptOnlyFromAmong("text", "json", "html");
var reportFileOption = new Option<string?>("--report-file") { Description = "Write the report to this file instead of standard output" };
var mailToOption = new Option<string[]>("--mail-to") { Description = "Mail the report to this address (repeat for several)", AllowMultipleArgumentsPerToken = true };
var smtpOption = new Option<string?>("--smtp") { Description = "SMTP server as HOST[:PORT] (default port 25)" };
var smtpUserOption = new Option<string?>("--smtp-user") { Description = "Log in to the SMTP server as this user" };
var smtpPasswordFileOption = new Option<string?>("--smtp-password-file") { Description = "File whose first line is the SMTP password" };
var smtpStartTlsOption = new Option<bool>("--smtp-starttls") { Description = "Upgrade the SMTP connection with STARTTLS before logging in" };
var mailFromOption = new Option<string?>("--mail-from") { Description = "Sender address of the report mail (default sniffer@localhost)" };
var snaplenOption = new Option<int>("--snaplen", "-s") { Description = "Bytes to keep of each frame", DefaultValueFactory = _ => SnifferOptions.DefaultSnaplen };
var trustedDhcpOption = new Option<string[]>("--trusted-dhcp") { Description = "IPv4 address of a legitimate DHCP server (repeat for several); offers from others raise an alert", AllowMultipleArgumentsPerToken = true };
var noPromiscOption = new Option<bool>("--no-promiscuous", "-p") { Description = "Do not put the interface into promiscuous mode" };
var absoluteSeqOption = new Option<bool>("--absolute-seq", "-S") { Description = "Print absolute TCP sequence numbers, not relative ones" };
var numberOption = new Option<bool>("--number", "-#") { Description = "Print the frame number at the start of each line" };
var utcOption = new Option<bool>("--utc") { Description = "Print times in UTC instead of local time" };
var bufferOption = new Option<int?>("--buffer-size", "-B") { Description = "Kernel capture buffer in KiB (default 32768; raise it when frames are dropped)" };
var numericOption = new Option<bool>("-n") { Description = "Accepted for tcpdump habits: addresses and ports are always numeric" };

var root = new RootCommand("Capture or read frames, show them layer by layer, report and flag man-in-the-middle tricks.");
foreach (Option option in new Option[]
{
    interfaceOption, readOption, durationOption, countOption, filterOption, writeOption, layersOption, hexOption, quietOption,
    reportOption, reportFileOption, mailToOption, smtpOption, smtpUserOption, smtpPasswordFileOption, smtpStartTlsOption, mailFromOption,
    snaplenOption, trustedDhcpOption, noPromiscOption, absoluteSeqOption, numberOption, utcOption, bufferOption, numericOption,
})
{
    root.Options.Add(option);
}

root.SetAction(async (parseResult, ct) =>
{
    var trusted = new List<IPv4Address>();
    foreach (string text in parseResult.GetValue(trustedDhcpOption) ?? [])
    {
        if (!IPv4Address.TryParse(text, out var address))
        {
            await Console.Error.WriteLineAsync($"sniffer: --trusted-dhcp '{text}' is not an IPv4 address (e.g. --trusted-dhcp 192.168.10.1)").ConfigureAwait(false);
            return SnifferExitCode.BadUsage;
        }
        trusted.Add(address);
    }
    var options = new SnifferOptions
    {
        Interface = parseResult.GetValue(interfaceOption),
        ReadFile = parseResult.GetValue(readOption),
        Duration = parseResult.GetValue(durationOption) is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        Count = parseResult.GetValue(countOption),
        Filter = parseResult.GetValue(filterOption),
        WriteFile = parseResult.GetValue(writeOption),
        Layers = parseResult.GetValue(layersOption),
        Hex = parseResult.GetValue(hexOption),
        Quiet = parseResult.GetValue(quietOption),
        Report = parseResult.GetValue(reportOption) is { } format ? Enum.Parse<ReportFormat>(format, ignoreCase: true) : null,
        ReportFile = parseResult.GetValue(reportFileOption),
        MailTo = parseResult.GetValue(mailToOption) ?? [],
        Smtp = parseResult.GetValue(smtpOption),
        SmtpUser = parseResult.GetValue(smtpUserOption),
        SmtpPasswordFile = parseResult.GetValue(smtpPasswordFileOption),
        SmtpStartTls = parseResult.GetValue(smtpStartTlsOption),
        MailFrom = parseResult.GetValue(mailFromOption),
        Snaplen = parseResult.GetValue(snaplenOption),
        TrustedDhcp = trusted,
        NoPromiscuous = parseResult.GetValue(noPromiscOption),
        AbsoluteSequence = parseResult.GetValue(absoluteSeqOption),
        Number = parseResult.GetValue(numberOption),
        UtcTime = parseResult.GetValue(utcOption),
        BufferSizeKiB = parseResult.GetValue(bufferOption),
    };
    var errors = options.Validate();
    if (errors.Count > 0)
    {
        foreach (string error in errors)
        {
            await Console.Error.WriteLineAsync($"sniffer: {error}").ConfigureAwait(false);
        }
        await Console.Error.WriteLineAsync("Try 'sniffer --help' for the options.").ConfigureAwait(false);
        return SnifferExitCode.BadUsage;
    }

    // SIGINT and SIGTERM end the capture cleanly so the pcap is closed and the report still comes out.
    using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
    using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });
    using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });

    using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { AutoFlush = false };
    bool countdown = !Console.IsErrorRedirected && (options.Quiet || Console.IsOutputRedirected);
    var session = new SnifferSession(options, stdout, Console.Error, interactiveOutput: !Console.IsOutputRedirected)
    {
        ProgressConsole = countdown ? AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }) : null,
    };
    return await session.RunAsync(stop.Token).ConfigureAwait(false);
});

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
