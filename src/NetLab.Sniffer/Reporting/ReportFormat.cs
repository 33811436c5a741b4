using System.Globalization;

namespace NetLab.Sniffer.Reporting;

public enum ReportFormat
{
    Text,
    Json,
    Html,
}

/// <summary>Picks the renderer for a format.</summary>
public static class ReportRenderer
{
    public static string Render(CaptureReport report, ReportFormat format) => format switch
    {
        ReportFormat.Json => JsonReportRenderer.Render(report),
        ReportFormat.Html => HtmlReportRenderer.Render(report),
        _ => TextReportRenderer.Render(report),
    };

    /// <summary>Rows per table the text (100) and HTML (200) reports show at most; the JSON report has every row.</summary>
    public const int MaxTableRows = 200;

    /// <summary>How many rows a report needs per table in this format: all for JSON, else what the tables show.</summary>
    public static int? RowsNeeded(ReportFormat format) => format == ReportFormat.Json ? null : MaxTableRows;

    /// <summary>The note under a table that shows at most <paramref name="maxRows"/> of the <paramref name="listed"/>
    /// rows the report holds, out of <paramref name="total"/> in the capture; null when it shows them all.</summary>
    internal static string? More(int total, int listed, int maxRows)
    {
        int all = Math.Max(total, listed), shown = Math.Min(listed, maxRows);
        return all > shown ? $"{all - shown} more in the JSON report" : null;
    }

    public static string FileExtension(ReportFormat format) => format switch
    {
        ReportFormat.Json => ".json",
        ReportFormat.Html => ".html",
        _ => ".txt",
    };

    internal static string Bytes(long bytes) => bytes switch
    {
        < 10_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 10_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.0} MiB"),
    };

    internal static string Ms(double? ms) => ms is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v:0.###} ms") : "-";
}
