using System.Globalization;
using System.Net;
using System.Text;

namespace NetLab.Sniffer.Reporting;

/// <summary>The report as one self-contained HTML page: inline CSS and inline SVG charts (traffic over time,
/// protocol share), no scripts and no external resources, so it opens offline and in a mail client.</summary>
public static class HtmlReportRenderer
{
    private static readonly string[] Palette =
        ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

    /// <summary>Rows per table; the JSON report has them all.</summary>
    private const int MaxRows = ReportRenderer.MaxTableRows;

    public static string Render(CaptureReport report)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<title>NetLab sniffer report: ").Append(E(report.Source)).Append("</title><style>")
            .Append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em}")
            .Append("th,td{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top;font-size:14px}th{background:#eee}")
            .Append("td.n{text-align:right}.alert{color:#b00020;font-weight:bold}.ok{color:#2e7d32}svg{background:#fafafa;border:1px solid #ddd}")
            .Append("</style></head><body>\n<h1>NetLab sniffer report</h1>\n");

        html.Append("<table>");
        Pair(html, "Source", report.Source);
        if (report.Filter is not null)
        {
            Pair(html, "Filter", report.Filter);
        }
        if (report.FirstFrame is { } first)
        {
            Pair(html, "First frame", first.ToString("yyyy-MM-dd HH:mm:ss.ffffff zzz", CultureInfo.InvariantCulture));
        }
        Pair(html, "Duration", $"{report.DurationSeconds:0.###} s");
        Pair(html, "Frames", $"{report.Frames}");
        Pair(html, "Bytes", $"{report.Bytes} ({ReportRenderer.Bytes(report.Bytes)})");
        Pair(html, "Malformed frames", $"{report.MalformedFrames}");
        Pair(html, "Kernel drops", report.KernelDrops is { } d ? $"{d}" : "n/a (read from file)");
        html.Append("</table>\n");

        html.Append("<h2>Alerts</h2>\n");
        if (report.Alerts.Count == 0)
        {
            html.Append("<p class=\"ok\">No alerts.</p>\n");
        }
        else
        {
            Table(html, ["Time", "Frame", "Kind", "Severity", "Count", "Message"], report.Alerts.Select(a => new[]
            {
                a.Time.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture), $"{a.Frame}", a.Kind, a.Severity, $"{a.Occurrences}", a.Message,
            }), "alert");
        }

        html.Append("<h2>Traffic over time</h2>\n").Append(TrafficChart(report)).Append('\n');
        html.Append("<h2>Protocol share</h2>\n").Append(ShareChart(report)).Append('\n');

        html.Append("<h2>Protocol hierarchy</h2>\n");
        Table(html, ["Protocol", "Frames", "Bytes"], report.ProtocolHierarchy.Select(n => new[]
        {
            string.Concat(Enumerable.Repeat("\u00a0\u00a0", n.Depth)) + n.Protocol, $"{n.Frames}", $"{n.Bytes}",
        }));
        html.Append("<h2>Top talkers</h2>\n");
        Table(html, ["Address", "Frames sent", "Bytes sent", "Frames received", "Bytes received"], report.TopTalkers.Select(t => new[]
        {
            t.Address, $"{t.FramesSent}", $"{t.BytesSent}", $"{t.FramesReceived}", $"{t.BytesReceived}",
        }));
        html.Append("<h2>Conversations</h2>\n");
        Table(html, ["Proto", "A (initiator)", "B", "Frames", "Bytes A&rarr;B", "Bytes B&rarr;A", "Duration (s)", "Handshake RTT", "Retransmissions", "State"],
            report.Conversations.Take(MaxRows).Select(c => new[]
            {
                c.Protocol, c.EndpointA, c.EndpointB, $"{c.Frames}", $"{c.BytesAToB}", $"{c.BytesBToA}", $"{c.DurationSeconds:0.###}",
                ReportRenderer.Ms(c.HandshakeRttMs), $"{c.Retransmissions}", c.State ?? "",
            }), headersAreHtml: true);
        More(html, report.ConversationTotal, report.Conversations.Count);
        html.Append("<h2>DHCP transactions</h2>\n");
        Table(html, ["XID", "Client MAC", "Address", "Server", "Host", "Messages", "DISCOVER&rarr;ACK", "Outcome"], report.DhcpTransactions.Take(MaxRows).Select(t => new[]
        {
            t.TransactionId, t.ClientMac, t.Address ?? "-", t.Server ?? "-", t.HostName ?? "", string.Join(" ", t.Messages), ReportRenderer.Ms(t.DiscoverToAckMs), t.Outcome,
        }), headersAreHtml: true);
        More(html, report.DhcpTransactionTotal, report.DhcpTransactions.Count);
        html.Append("<h2>DNS queries</h2>\n");
        Table(html, ["Time", "Client", "Server", "ID", "Question", "Answers", "Rcode", "Response time"], report.DnsQueries.Take(MaxRows).Select(q => new[]
        {
            q.Time.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture), q.Client, q.Server, $"{q.Id}", q.Question,
            q.Answers.Count == 0 ? "-" : string.Join("\n", q.Answers), q.ResponseCode ?? "(no response)", ReportRenderer.Ms(q.ResponseTimeMs),
        }));
        More(html, report.DnsQueryTotal, report.DnsQueries.Count);
        html.Append("<h2>FTP sessions</h2>\n");
        Table(html, ["Client", "Server", "User", "Logged in", "Password in clear", "Commands", "Files"], report.FtpSessions.Take(MaxRows).Select(f => new[]
        {
            f.Client, f.Server, f.User ?? "-", f.LoggedIn ? "yes" : "no", f.PasswordSentInClear ? "yes" : "no", $"{f.Commands}",
            f.Files.Count == 0 ? "-" : string.Join("\n", f.Files.Select(x => $"{x.Direction} {x.File}{(x.Completed ? "" : " (failed)")}")),
        }));
        More(html, report.FtpSessionTotal, report.FtpSessions.Count);
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static void More(StringBuilder html, int total, int listed)
    {
        if (ReportRenderer.More(total, listed, MaxRows) is { } note)
        {
            html.Append("<p>").Append(E(note)).Append("</p>\n");
        }
    }

    private static void Pair(StringBuilder html, string name, string value) =>
        html.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(E(value)).Append("</td></tr>");

    private static void Table(StringBuilder html, string[] headers, IEnumerable<string[]> rows, string? rowClass = null, bool headersAreHtml = false)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            html.Append("<p>(none)</p>\n");
            return;
        }
        html.Append("<table><tr>");
        foreach (string header in headers)
        {
            html.Append("<th>").Append(headersAreHtml ? header : E(header)).Append("</th>");
        }
        html.Append("</tr>\n");
        foreach (string[] row in list)
        {
            html.Append(rowClass is null ? "<tr>" : $"<tr class=\"{rowClass}\">");
            foreach (string cell in row)
            {
                bool numeric = cell.Length > 0 && cell.All(c => char.IsAsciiDigit(c) || c == '.');
                html.Append(numeric ? "<td class=\"n\">" : "<td>").Append(E(cell).Replace("\n", "<br>", StringComparison.Ordinal)).Append("</td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</table>\n");
    }

    /// <summary>Frames per bucket as a bar chart with axis labels.</summary>
    private static string TrafficChart(CaptureReport report)
    {
        const int Width = 800, Height = 240, Left = 60, Bottom = 30, Top = 10;
        if (report.Traffic.Count == 0)
        {
            return "<p>(no frames)</p>";
        }
        long max = Math.Max(1, report.Traffic.Max(b => b.Frames));
        double barWidth = (Width - Left - 10) / (double)report.Traffic.Count;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"frames over time\">");
        int plotHeight = Height - Bottom - Top;
        foreach (var (bucket, i) in report.Traffic.Select((b, i) => (b, i)))
        {
            double h = plotHeight * bucket.Frames / (double)max;
            svg.Append(CultureInfo.InvariantCulture,
                $"<rect x=\"{Left + (i * barWidth):0.##}\" y=\"{Top + plotHeight - h:0.##}\" width=\"{Math.Max(1, barWidth - 1):0.##}\" height=\"{h:0.##}\" fill=\"#4e79a7\"><title>{bucket.OffsetSeconds:0} s: {bucket.Frames} frames, {bucket.Bytes} bytes</title></rect>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top + plotHeight}\" x2=\"{Width - 10}\" y2=\"{Top + plotHeight}\" stroke=\"#333\"/>")
           .Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" y1=\"{Top}\" x2=\"{Left}\" y2=\"{Top + plotHeight}\" stroke=\"#333\"/>")
           .Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 5}\" y=\"{Top + 10}\" font-size=\"11\" text-anchor=\"end\">{max}</text>")
           .Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 5}\" y=\"{Top + plotHeight}\" font-size=\"11\" text-anchor=\"end\">0</text>")
           .Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{Height - 8}\" font-size=\"11\">0 s</text>")
           .Append(CultureInfo.InvariantCulture, $"<text x=\"{Width - 10}\" y=\"{Height - 8}\" font-size=\"11\" text-anchor=\"end\">{report.Traffic.Count * report.TrafficBucketSeconds:0} s</text>")
           .Append(CultureInfo.InvariantCulture, $"<text x=\"{Width / 2}\" y=\"{Height - 8}\" font-size=\"11\" text-anchor=\"middle\">frames per {report.TrafficBucketSeconds:0} s</text>")
           .Append("</svg>");
        return svg.ToString();
    }

    /// <summary>Share of frames by innermost protocol, as a pie with a legend.</summary>
    private static string ShareChart(CaptureReport report)
    {
        var share = InnermostShare(report.ProtocolHierarchy);
        long total = share.Sum(s => s.Frames);
        if (total == 0)
        {
            return "<p>(no frames)</p>";
        }
        var svg = new StringBuilder();
        svg.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"520\" height=\"240\" viewBox=\"0 0 520 240\" role=\"img\" aria-label=\"protocol share\">");
        double angle = -Math.PI / 2;
        const double Cx = 120, Cy = 120, R = 100;
        foreach (var ((protocol, frames), i) in share.Select((s, i) => (s, i)))
        {
            string colour = Palette[i % Palette.Length];
            double sweep = 2 * Math.PI * frames / total;
            string title = $"<title>{E(protocol)}: {frames} frames ({100.0 * frames / total:0.#}%)</title>";
            if (share.Count == 1)
            {
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{Cx}\" cy=\"{Cy}\" r=\"{R}\" fill=\"{colour}\">{title}</circle>");
            }
            else
            {
                double x1 = Cx + (R * Math.Cos(angle)), y1 = Cy + (R * Math.Sin(angle));
                double x2 = Cx + (R * Math.Cos(angle + sweep)), y2 = Cy + (R * Math.Sin(angle + sweep));
                int large = sweep > Math.PI ? 1 : 0;
                svg.Append(CultureInfo.InvariantCulture,
                    $"<path d=\"M{Cx},{Cy} L{x1:0.##},{y1:0.##} A{R},{R} 0 {large} 1 {x2:0.##},{y2:0.##} Z\" fill=\"{colour}\">{title}</path>");
            }
            angle += sweep;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"260\" y=\"{20 + (i * 20)}\" width=\"12\" height=\"12\" fill=\"{colour}\"/>")
               .Append(CultureInfo.InvariantCulture, $"<text x=\"278\" y=\"{31 + (i * 20)}\" font-size=\"13\">{E(protocol)}: {frames} ({100.0 * frames / total:0.#}%)</text>");
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>Frames whose stack ends at each protocol (a node's frames minus its children's), top nine plus "other".</summary>
    private static List<(string Protocol, long Frames)> InnermostShare(IReadOnlyList<ProtocolNode> nodes)
    {
        var own = new Dictionary<string, long>();
        for (int i = 0; i < nodes.Count; i++)
        {
            long children = 0;
            for (int j = i + 1; j < nodes.Count && nodes[j].Depth > nodes[i].Depth; j++)
            {
                if (nodes[j].Depth == nodes[i].Depth + 1)
                {
                    children += nodes[j].Frames;
                }
            }
            long mine = nodes[i].Frames - children;
            if (mine > 0)
            {
                own[nodes[i].Protocol] = own.GetValueOrDefault(nodes[i].Protocol) + mine;
            }
        }
        var ordered = own.OrderByDescending(kv => kv.Value).Select(kv => (kv.Key, kv.Value)).ToList();
        if (ordered.Count <= 10)
        {
            return ordered;
        }
        return [.. ordered.Take(9), ("other", ordered.Skip(9).Sum(kv => kv.Value))];
    }
}
