using System.Text.Json;
using System.Text.Json.Serialization;

namespace NetLab.Sniffer.Reporting;

/// <summary>The report as indented JSON with camelCase names, for scripts and dashboards.</summary>
public static class JsonReportRenderer
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        TypeInfoResolver = ReportJsonContext.Default,
    };

    public static string Render(CaptureReport report) => JsonSerializer.Serialize(report, Options);

    public static CaptureReport? Parse(string json) => JsonSerializer.Deserialize<CaptureReport>(json, Options);
}

[JsonSerializable(typeof(CaptureReport))]
internal sealed partial class ReportJsonContext : JsonSerializerContext;
