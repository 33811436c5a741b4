using System.Text;

namespace NetLab.Sniffer.Reporting;

/// <summary>A plain-text table with ASCII borders, as tshark's statistics print them:
/// <code>
/// +----------------------+
/// | Protocol | Frames    |
/// |----------+-----------|
/// | eth      | 1000000   |
/// +----------------------+
/// </code>
/// A cell may hold several lines; a table wider than the page wraps its widest columns at spaces.</summary>
public sealed class TextTable(params string[] headers)
{
    /// <summary>No column is wrapped narrower than this, so a page too narrow for the table gets a wider table
    /// rather than one character per line.</summary>
    private const int MinColumnWidth = 8;

    private readonly List<string[]> _rows = [];

    public int RowCount => _rows.Count;

    public void AddRow(params string[] cells)
    {
        if (cells.Length != headers.Length)
        {
            throw new ArgumentException($"a row of {cells.Length} cells in a table of {headers.Length} columns", nameof(cells));
        }
        _rows.Add(cells);
    }

    public void WriteTo(StringBuilder output, int pageWidth)
    {
        int[] widths = ColumnWidths(pageWidth);
        int tableWidth = TableWidth(widths);
        output.Append('+').Append('-', tableWidth - 2).Append("+\n");
        WriteRow(output, headers, widths);
        output.Append('|');
        for (int column = 0; column < widths.Length; column++)
        {
            output.Append(column == 0 ? "" : "+").Append('-', widths[column] + 2);
        }
        output.Append("|\n");
        foreach (string[] row in _rows)
        {
            WriteRow(output, row, widths);
        }
        output.Append('+').Append('-', tableWidth - 2).Append("+\n");
    }

    /// <summary>Each column as wide as its widest line, then the widest columns narrowed one character at a time
    /// until the table fits the page.</summary>
    private int[] ColumnWidths(int pageWidth)
    {
        int[] widths = new int[headers.Length];
        for (int column = 0; column < headers.Length; column++)
        {
            widths[column] = LongestLine(headers[column]);
            foreach (string[] row in _rows)
            {
                widths[column] = Math.Max(widths[column], LongestLine(row[column]));
            }
        }
        int tableWidth = TableWidth(widths);
        while (tableWidth > pageWidth)
        {
            int widest = 0;
            for (int column = 1; column < widths.Length; column++)
            {
                if (widths[column] > widths[widest])
                {
                    widest = column;
                }
            }
            if (widths[widest] <= MinColumnWidth)
            {
                break;
            }
            widths[widest]--;
            tableWidth--;
        }
        return widths;
    }

    /// <summary>"| " before each cell, " " after it, and the closing "|".</summary>
    private static int TableWidth(int[] widths)
    {
        int tableWidth = 1;
        foreach (int width in widths)
        {
            tableWidth += width + 3;
        }
        return tableWidth;
    }

    private static int LongestLine(string cell)
    {
        int longest = 0;
        foreach (var line in cell.AsSpan().EnumerateLines())
        {
            longest = Math.Max(longest, line.Length);
        }
        return longest;
    }

    private static void WriteRow(StringBuilder output, string[] cells, int[] widths)
    {
        var lines = new List<string>[cells.Length];
        int height = 1;
        for (int column = 0; column < cells.Length; column++)
        {
            lines[column] = Wrap(cells[column], widths[column]);
            height = Math.Max(height, lines[column].Count);
        }
        for (int line = 0; line < height; line++)
        {
            for (int column = 0; column < cells.Length; column++)
            {
                string text = line < lines[column].Count ? lines[column][line] : "";
                output.Append("| ").Append(text).Append(' ', widths[column] - text.Length + 1);
            }
            output.Append("|\n");
        }
    }

    /// <summary>The cell's lines, each broken at its last space that fits (or at the width when a word is longer).</summary>
    private static List<string> Wrap(string cell, int width)
    {
        var lines = new List<string>(1);
        foreach (var text in cell.AsSpan().EnumerateLines())
        {
            var rest = text;
            while (rest.Length > width)
            {
                int cut = rest[..(width + 1)].LastIndexOf(' ');
                if (cut <= 0)
                {
                    lines.Add(rest[..width].ToString());
                    rest = rest[width..];
                }
                else
                {
                    lines.Add(rest[..cut].ToString());
                    rest = rest[(cut + 1)..];
                }
            }
            lines.Add(rest.ToString());
        }
        return lines;
    }
}
