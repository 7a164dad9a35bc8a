//! Byte offset ↔ line/column conversion for one file.

/// Line starts of a text, for converting byte offsets to positions.
#[derive(Clone, Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The 0-based line holding `offset`.
    pub fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    pub fn line_start(&self, line: usize) -> usize {
        self.starts[line.min(self.starts.len() - 1)]
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// 1-based line and 1-based column counted in characters.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = clamp_to_char_boundary(text, offset);
        let line = self.line(offset);
        let col = text[self.starts[line]..offset].chars().count();
        (line + 1, col + 1)
    }
}

/// The largest char boundary at or before `offset`, within the text.
pub fn clamp_to_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_characters_not_bytes() {
        let text = "ab\n’x’ y\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        assert_eq!(idx.line_col(text, 3), (2, 1));
        let y = text.find('y').unwrap();
        assert_eq!(idx.line_col(text, y), (2, 5));
        assert_eq!(idx.line_col(text, text.len()), (3, 1));
        // Inside a multi-byte char: clamps to its start.
        assert_eq!(idx.line_col(text, 4), (2, 1));
    }
}
