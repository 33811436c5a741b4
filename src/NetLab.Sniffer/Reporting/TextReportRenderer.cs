using System.Globalization;
using System.Text;

namespace NetLab.Sniffer.Reporting;

/// <summary>The report as plain-text tables, so it reads the same in a terminal, a file and a mail. Written
/// with <see cref="TextTable"/> rather than a console library: a one-shot report pays for compiling every method it
/// runs, and Spectre.Console's table layout took 45 ms of a 0.5 s run on 1,000,000 frames (12 ms when already
/// compiled) for what this writes in 5.</summary>
public static class TextReportRenderer
{
    /// <summary>Rows shown per table; the JSON report has them all.</summary>
    private const int MaxRows = 100;

    public static string Render(CaptureReport report, int width = 160)
    {
        var output = new StringBuilder(64 * 1024);
        WriteSummary(output, report);

        var hierarchy = new TextTable("Protocol", "Frames", "Bytes");
        foreach (var node in report.ProtocolHierarchy)
        {
            hierarchy.AddRow(new string(' ', node.Depth * 2) + node.Protocol, Number(node.Frames), ReportRenderer.Bytes(node.Bytes));
        }
        Section(output, width, "Protocol hierarchy", hierarchy);

        var talkers = new TextTable("Address", "Frames sent", "Bytes sent", "Frames received", "Bytes received");
        foreach (var t in report.TopTalkers)
        {
            talkers.AddRow(t.Address, Number(t.FramesSent), ReportRenderer.Bytes(t.BytesSent), Number(t.FramesReceived), ReportRenderer.Bytes(t.BytesReceived));
        }
        Section(output, width, "Top talkers", talkers);

        var conversations = new TextTable("Proto", "A (initiator)", "B", "Frames", "A->B", "B->A", "Duration", "Handshake RTT", "Retrans", "State");
        foreach (var c in First(report.Conversations))
        {
            conversations.AddRow(c.Protocol, c.EndpointA, c.EndpointB, Number(c.Frames), ReportRenderer.Bytes(c.BytesAToB), ReportRenderer.Bytes(c.BytesBToA),
                string.Create(CultureInfo.InvariantCulture, $"{c.DurationSeconds:0.###} s"), ReportRenderer.Ms(c.HandshakeRttMs), Number(c.Retransmissions), c.State ?? "");
        }
        Section(output, width, "Conversations", conversations, ReportRenderer.More(report.ConversationTotal, report.Conversations.Count, MaxRows));

        var dhcp = new TextTable("XID", "Client MAC", "Address", "Server", "Host", "Messages", "DISCOVER->ACK", "Outcome");
        foreach (var d in First(report.DhcpTransactions))
        {
            dhcp.AddRow(d.TransactionId, d.ClientMac, d.Address ?? "-", d.Server ?? "-", d.HostName ?? "", string.Join(" ", d.Messages), ReportRenderer.Ms(d.DiscoverToAckMs), d.Outcome);
        }
        Section(output, width, "DHCP transactions", dhcp, ReportRenderer.More(report.DhcpTransactionTotal, report.DhcpTransactions.Count, MaxRows));

        var dns = new TextTable("Time", "Client", "Server", "ID", "Question", "Answers", "Rcode", "Response time");
        foreach (var q in First(report.DnsQueries))
        {
            dns.AddRow(Time(q.Time), q.Client, q.Server, Number(q.Id), q.Question, q.Answers.Count == 0 ? "-" : string.Join("\n", q.Answers),
                q.ResponseCode ?? "(no response)", ReportRenderer.Ms(q.ResponseTimeMs));
        }
        Section(output, width, "DNS queries", dns, ReportRenderer.More(report.DnsQueryTotal, report.DnsQueries.Count, MaxRows));

        var ftp = new TextTable("Client", "Server", "User", "Logged in", "Password in clear", "Commands", "Files");
        foreach (var f in First(report.FtpSessions))
        {
            var files = new StringBuilder();
            foreach (var file in f.Files)
            {
                files.Append(files.Length == 0 ? "" : "\n").Append(file.Direction).Append(' ').Append(file.File).Append(file.Completed ? "" : " (failed)");
            }
            ftp.AddRow(f.Client, f.Server, f.User ?? "-", f.LoggedIn ? "yes" : "no", f.PasswordSentInClear ? "yes" : "no", Number(f.Commands),
                files.Length == 0 ? "-" : files.ToString());
        }
        Section(output, width, "FTP sessions", ftp, ReportRenderer.More(report.FtpSessionTotal, report.FtpSessions.Count, MaxRows));

        var alerts = new TextTable("Time", "Frame", "Kind", "Severity", "Count", "Message");
        foreach (var a in report.Alerts)
        {
            alerts.AddRow(Time(a.Time), Number(a.Frame), a.Kind, a.Severity, Number(a.Occurrences), a.Message);
        }
        Section(output, width, "Alerts", alerts, report.Alerts.Count == 0 ? "no alerts" : null);
        return output.ToString();
    }

    private static IEnumerable<T> First<T>(IReadOnlyList<T> rows)
    {
        for (int i = 0; i < Math.Min(rows.Count, MaxRows); i++)
        {
            yield return rows[i];
        }
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset time) => time.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static void WriteSummary(StringBuilder output, CaptureReport report)
    {
        void Row(string name, string value) => output.Append(name).Append(' ', SummaryNameWidth - name.Length).Append(value).Append('\n');
        Row("Source", report.Source);
        if (report.Filter is not null)
        {
            Row("Filter", report.Filter);
        }
        if (report.FirstFrame is { } first)
        {
            Row("First frame", first.ToString("yyyy-MM-dd HH:mm:ss.ffffff zzz", CultureInfo.InvariantCulture));
        }
        Row("Duration", string.Create(CultureInfo.InvariantCulture, $"{report.DurationSeconds:0.###} s"));
        Row("Frames", Number(report.Frames));
        Row("Bytes", $"{Number(report.Bytes)} ({ReportRenderer.Bytes(report.Bytes)})");
        Row("Malformed frames", Number(report.MalformedFrames));
        Row("Kernel drops", report.KernelDrops is { } drops
            ? Number(drops) + (report.InterfaceDrops is { } interfaceDrops ? $" (interface {Number(interfaceDrops)})" : "")
            : "n/a (read from file)");
        Row("Alerts", Number(report.Alerts.Count));
    }

    /// <summary>The longest summary name ("Malformed frames") and two spaces.</summary>
    private const int SummaryNameWidth = 18;

    private static void Section(StringBuilder output, int width, string title, TextTable table, string? note = null)
    {
        output.Append('\n').Append(title).Append('\n');
        if (table.RowCount == 0)
        {
            output.Append(note ?? "(none)").Append('\n');
            return;
        }
        table.WriteTo(output, width);
        if (note is not null)
        {
            output.Append(note).Append('\n');
        }
    }
}
