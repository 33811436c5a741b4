using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace NetLab.Sniffer.Reporting;

/// <summary>The report as plain-text tables (Spectre.Console rendered without colour, so it reads the same
/// in a terminal, a file and a mail).</summary>
public static class TextReportRenderer
{
    public static string Render(CaptureReport report, int width = 160)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = width;

        console.Write(Summary(report));
        Section(console, "Protocol hierarchy", Table(["Protocol", "Frames", "Bytes"],
            report.ProtocolHierarchy.Select(n => new[] { new string(' ', n.Depth * 2) + n.Protocol, $"{n.Frames}", ReportRenderer.Bytes(n.Bytes) })));
        Section(console, "Top talkers", Table(["Address", "Frames sent", "Bytes sent", "Frames received", "Bytes received"],
            report.TopTalkers.Select(t => new[] { t.Address, $"{t.FramesSent}", ReportRenderer.Bytes(t.BytesSent), $"{t.FramesReceived}", ReportRenderer.Bytes(t.BytesReceived) })));
        Section(console, "Conversations", Table(["Proto", "A (initiator)", "B", "Frames", "A->B", "B->A", "Duration", "Handshake RTT", "Retrans", "State"],
            report.Conversations.Take(MaxRows).Select(c => new[]
            {
                c.Protocol, c.EndpointA, c.EndpointB, $"{c.Frames}", ReportRenderer.Bytes(c.BytesAToB), ReportRenderer.Bytes(c.BytesBToA),
                $"{c.DurationSeconds:0.###} s", ReportRenderer.Ms(c.HandshakeRttMs), $"{c.Retransmissions}", c.State ?? "",
            })), More(report.ConversationTotal, report.Conversations.Count));
        Section(console, "DHCP transactions", Table(["XID", "Client MAC", "Address", "Server", "Host", "Messages", "DISCOVER->ACK", "Outcome"],
            report.DhcpTransactions.Take(MaxRows).Select(d => new[]
            {
                d.TransactionId, d.ClientMac, d.Address ?? "-", d.Server ?? "-", d.HostName ?? "", string.Join(" ", d.Messages), ReportRenderer.Ms(d.DiscoverToAckMs), d.Outcome,
            })), More(report.DhcpTransactionTotal, report.DhcpTransactions.Count));
        Section(console, "DNS queries", Table(["Time", "Client", "Server", "ID", "Question", "Answers", "Rcode", "Response time"],
            report.DnsQueries.Take(MaxRows).Select(q => new[]
            {
                q.Time.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture), q.Client, q.Server, $"{q.Id}", q.Question,
                q.Answers.Count == 0 ? "-" : string.Join("\n", q.Answers), q.ResponseCode ?? "(no response)", ReportRenderer.Ms(q.ResponseTimeMs),
            })), More(report.DnsQueryTotal, report.DnsQueries.Count));
        Section(console, "FTP sessions", Table(["Client", "Server", "User", "Logged in", "Password in clear", "Commands", "Files"],
            report.FtpSessions.Take(MaxRows).Select(f => new[]
            {
                f.Client, f.Server, f.User ?? "-", f.LoggedIn ? "yes" : "no", f.PasswordSentInClear ? "yes" : "no", $"{f.Commands}",
                f.Files.Count == 0 ? "-" : string.Join("\n", f.Files.Select(x => $"{x.Direction} {x.File}{(x.Completed ? "" : " (failed)")}")),
            })), More(report.FtpSessionTotal, report.FtpSessions.Count));
        Section(console, "Alerts", Table(["Time", "Frame", "Kind", "Severity", "Count", "Message"],
            report.Alerts.Select(a => new[]
            {
                a.Time.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture), $"{a.Frame}", a.Kind, a.Severity, $"{a.Occurrences}", a.Message,
            })), report.Alerts.Count == 0 ? "no alerts" : null);
        return writer.ToString();
    }

    /// <summary>Rows shown per table; the JSON report has them all.</summary>
    private const int MaxRows = 100;

    private static string? More(int total, int listed) => ReportRenderer.More(Math.Max(total, listed), Math.Min(listed, MaxRows));

    private static Grid Summary(CaptureReport report)
    {
        var grid = new Grid().AddColumn().AddColumn();
        void Row(string name, string value) => grid.AddRow(new Text(name), new Text(value));
        Row("Source", report.Source);
        if (report.Filter is not null)
        {
            Row("Filter", report.Filter);
        }
        if (report.FirstFrame is { } first)
        {
            Row("First frame", first.ToString("yyyy-MM-dd HH:mm:ss.ffffff zzz", CultureInfo.InvariantCulture));
        }
        Row("Duration", $"{report.DurationSeconds:0.###} s");
        Row("Frames", $"{report.Frames}");
        Row("Bytes", $"{report.Bytes} ({ReportRenderer.Bytes(report.Bytes)})");
        Row("Malformed frames", $"{report.MalformedFrames}");
        Row("Kernel drops", report.KernelDrops is { } drops ? $"{drops}" + (report.InterfaceDrops is { } ifd ? $" (interface {ifd})" : "") : "n/a (read from file)");
        Row("Alerts", $"{report.Alerts.Count}");
        return grid;
    }

    private static Table Table(string[] headers, IEnumerable<string[]> rows)
    {
        var table = new Table().Border(TableBorder.Ascii);
        foreach (string header in headers)
        {
            table.AddColumn(new TableColumn(Markup.Escape(header)));
        }
        foreach (string[] row in rows)
        {
            table.AddRow(row.Select(cell => (IRenderable)new Text(cell)).ToArray());
        }
        return table;
    }

    private static void Section(IAnsiConsole console, string title, Table table, string? note = null)
    {
        console.WriteLine();
        console.WriteLine(title);
        if (table.Rows.Count == 0)
        {
            console.WriteLine(note ?? "(none)");
            return;
        }
        console.Write(table);
        if (note is not null)
        {
            console.WriteLine(note);
        }
    }
}
