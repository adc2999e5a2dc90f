namespace IsolationOperator.Cli.Rendering;

/// <summary>A plain-text table with aligned columns; a cell may carry a colour, used only when asked for.</summary>
public sealed class Table(params string[] headers)
{
    private readonly List<Cell[]> _rows = [];

    public readonly record struct Cell(string Text, string? Colour = null)
    {
        public static implicit operator Cell(string text) => new(text);
    }

    public Table Add(params Cell[] row)
    {
        if (row.Length != headers.Length) throw new ArgumentException($"a row needs {headers.Length} cells");
        _rows.Add(row);
        return this;
    }

    public string Render(bool colour)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, _rows.Select(r => r[i].Text.Length).DefaultIfEmpty(0).Max())).ToArray();
        var sb = new System.Text.StringBuilder();
        void Line(IReadOnlyList<Cell> cells)
        {
            for (var i = 0; i < cells.Count; i++)
            {
                var text = i == cells.Count - 1 ? cells[i].Text : cells[i].Text.PadRight(widths[i]);
                sb.Append(colour && cells[i].Colour is { } c ? $"{c}{text}{Ansi.Reset}" : text);
                if (i < cells.Count - 1) sb.Append("   ");
            }
            sb.Append('\n');
        }
        Line(headers.Select(h => new Cell(h)).ToArray());
        foreach (var r in _rows) Line(r);
        return sb.ToString();
    }
}

public static class Ansi
{
    public const string Reset = "\u001b[0m";
    public const string Red = "\u001b[31m";
    public const string Green = "\u001b[32m";
    public const string Yellow = "\u001b[33m";
    public const string Grey = "\u001b[90m";
}
