//! Positions between the editor's and sitpress's: LSP counts UTF-16 code units within a
//! 0-based line, diagnostics count characters from 1, Rust indexes bytes.

use lsp_types::{Position, Range};

/// The 0-based line `line` of `text`, without its line ending.
pub fn line(text: &str, line: usize) -> &str {
    text.lines().nth(line).unwrap_or_default().trim_end_matches('\r')
}

/// The UTF-16 column of byte `byte` of `line`.
pub fn utf16_col(line: &str, byte: usize) -> u32 {
    let byte = byte.min(line.len());
    line.char_indices().take_while(|&(i, _)| i < byte).map(|(_, c)| c.len_utf16() as u32).sum()
}

/// The byte of `line` at UTF-16 column `col` (the line's end past it).
pub fn byte_of_utf16(line: &str, col: u32) -> usize {
    let mut units = 0;
    for (i, c) in line.char_indices() {
        if units >= col {
            return i;
        }
        units += c.len_utf16() as u32;
    }
    line.len()
}

/// The byte of `line` at character column `col` (0-based).
pub fn byte_of_char(line: &str, col: usize) -> usize {
    line.char_indices().nth(col).map_or(line.len(), |(i, _)| i)
}

/// The range of bytes `bytes` on 0-based line `n` of `text`.
pub fn range_of_bytes(text: &str, n: usize, bytes: std::ops::Range<usize>) -> Range {
    let l = line(text, n);
    Range::new(Position::new(n as u32, utf16_col(l, bytes.start)), Position::new(n as u32, utf16_col(l, bytes.end)))
}

/// The range of characters `chars` (0-based columns) on 0-based line `n` of `text`.
pub fn range_of_chars(text: &str, n: usize, chars: std::ops::Range<usize>) -> Range {
    let l = line(text, n);
    range_of_bytes(text, n, byte_of_char(l, chars.start)..byte_of_char(l, chars.end))
}

/// The 0-based line and byte of `pos` in `text`.
pub fn offset(text: &str, pos: Position) -> (usize, usize) {
    let n = pos.line as usize;
    (n, byte_of_utf16(line(text, n), pos.character))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf16_units() {
        let l = "a: \"é😀x\"";
        let x = l.find('x').unwrap();
        assert_eq!(utf16_col(l, x), 7);
        assert_eq!(byte_of_utf16(l, 7), x);
        assert_eq!(byte_of_char(l, 6), x);
        assert_eq!(range_of_chars("---\na: \"é😀x\"\n", 1, 6..7), Range::new(Position::new(1, 7), Position::new(1, 8)));
        assert_eq!(offset("x\r\nab\r\n", Position::new(1, 9)), (1, 2));
    }
}
