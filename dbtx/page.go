package dbtx

// Page is one page of a list read by LIMIT and OFFSET (the client area's lists: one client's
// own rows, through an index that starts with the client): Number counts from 1, Size rows a
// page (DefaultPageSize when 0 or less, at most MaxPageSize).
type Page struct {
	Number int
	Size   int
}

// Bounds of a Page.
const (
	DefaultPageSize = 25
	MaxPageSize     = 100
	// MaxPageNumber caps the offset a request can ask for: a page number past it reads the
	// page at it.
	MaxPageNumber = 10_000
)

func (p Page) size() int {
	if p.Size <= 0 {
		return DefaultPageSize
	}
	return min(p.Size, MaxPageSize)
}

// Query is the page's LIMIT and OFFSET: the limit is one row more than the page, so that Cut
// learns whether another page follows.
func (p Page) Query() (limit, offset int32) {
	n := min(max(p.Number, 1), MaxPageNumber)
	return int32(p.size() + 1), int32((n - 1) * p.size())
}

// Cut trims rows read with p.Query to the page and reports whether another page follows.
func Cut[T any](p Page, rows []T) ([]T, bool) {
	if len(rows) > p.size() {
		return rows[:p.size()], true
	}
	return rows, false
}
