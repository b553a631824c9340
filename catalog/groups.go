package catalog

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hostflow/hostflow/db"
	"github.com/hostflow/hostflow/dbtx"
	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/input"
)

// ProductGroup is a group of products (WHMCS's Product Group): the store lists products under
// their groups, in the groups' order, and leaves a hidden group out.
type ProductGroup struct {
	ID       int64
	Name     string
	Position int32 // the store lists groups by it, then by id
	// Hidden keeps the group and its products out of the store (WHMCS's Hidden); admins and the
	// APIs still order its products.
	Hidden    bool
	CreatedAt time.Time
}

// NewProductGroup is a group to create, or what an edit makes of one.
type NewProductGroup struct {
	Name string `json:"name"`
	// Position orders the groups; nil puts a new group after the last (an edit keeps its place).
	Position *int32 `json:"position"`
	Hidden   bool   `json:"hidden"`
}

// ReasonGroupNotFound refuses a group id that names no group.
const ReasonGroupNotFound = "Product Group ID Not Found"

// checkGroup is the one rule for a group as created or edited.
func checkGroup(g *NewProductGroup) error {
	if err := input.Check(*g); err != nil {
		return err
	}
	g.Name = strings.TrimSpace(g.Name)
	var bad Problems
	if g.Name == "" {
		bad.invalid("name", "is required")
	}
	return bad.err()
}

// CreateProductGroup validates and stores a product group.
func (s *Catalog) CreateProductGroup(ctx context.Context, g NewProductGroup) (ProductGroup, error) {
	if err := checkGroup(&g); err != nil {
		return ProductGroup{}, err
	}
	var out ProductGroup
	err := dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		pos := int32(0)
		if g.Position != nil {
			pos = *g.Position
		} else {
			next, err := q.NextProductGroupPosition(ctx)
			if err != nil {
				return err
			}
			pos = next
		}
		row, err := q.CreateProductGroup(ctx, db.CreateProductGroupParams{Name: g.Name, Position: pos, Hidden: g.Hidden})
		out = groupFrom(row)
		return err
	})
	return out, fault.Wrap(err, "create product group")
}

// UpdateProductGroup edits a group's name, position and whether it is hidden.
func (s *Catalog) UpdateProductGroup(ctx context.Context, id int64, g NewProductGroup) (ProductGroup, error) {
	if err := checkGroup(&g); err != nil {
		return ProductGroup{}, err
	}
	var out ProductGroup
	err := dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		old, err := q.LockProductGroup(ctx, id)
		if err != nil {
			return fault.OrAbsent(err, ReasonGroupNotFound)
		}
		pos := old.Position
		if g.Position != nil {
			pos = *g.Position
		}
		row, err := q.UpdateProductGroup(ctx, db.UpdateProductGroupParams{ID: id, Name: g.Name, Position: pos, Hidden: g.Hidden})
		out = groupFrom(row)
		return err
	})
	return out, fault.Wrap(err, "update product group %d", id)
}

// DeleteProductGroup deletes a group that holds no product; one that does is refused, saying
// how many: its products would be left without a place in the store.
func (s *Catalog) DeleteProductGroup(ctx context.Context, id int64) error {
	err := dbtx.InTx(ctx, s.pool, func(q *db.Queries) error {
		// The lock keeps a product from moving into the group between the count and the delete.
		row, err := q.LockProductGroup(ctx, id)
		if err != nil {
			return fault.OrAbsent(err, ReasonGroupNotFound)
		}
		n, err := q.CountGroupProducts(ctx, &id)
		if err != nil {
			return err
		}
		if n > 0 {
			return &fault.Error{Kind: fault.Conflict, Message: GroupInUse(row.Name, n)}
		}
		_, err = q.DeleteProductGroup(ctx, id)
		return err
	})
	return fault.Wrap(err, "delete product group %d", id)
}

// GroupInUse is the refusal to delete a group that holds n products.
func GroupInUse(name string, n int64) string {
	products := "1 product"
	if n != 1 {
		products = fmt.Sprintf("%d products", n)
	}
	return fmt.Sprintf("The group %s cannot be deleted: it holds %s. Move them to another group or delete them first.", name, products)
}

// GetProductGroup returns one group.
func (s *Catalog) GetProductGroup(ctx context.Context, id int64) (ProductGroup, error) {
	row, err := s.q().GetProductGroup(ctx, id)
	if err != nil {
		return ProductGroup{}, fault.Wrap(fault.OrAbsent(err, ReasonGroupNotFound), "read product group %d", id)
	}
	return groupFrom(row), nil
}

// ProductGroups lists the groups in the store's order.
func (s *Catalog) ProductGroups(ctx context.Context) ([]ProductGroup, error) {
	rows, err := s.q().ListProductGroups(ctx)
	return dbtx.Views(rows, groupFrom), fault.Wrap(err, "list product groups")
}

func groupFrom(g db.ProductGroup) ProductGroup {
	return ProductGroup{ID: g.ID, Name: g.Name, Position: g.Position, Hidden: g.Hidden, CreatedAt: g.CreatedAt.Time}
}

// Shelf is a group with its products, as the store and the console list them; Group is nil
// for the products in no group.
type Shelf struct {
	Group    *ProductGroup
	Products []Product
}

// Shelves arranges products under their groups: every group in the order given (an empty one
// too), then the products in no group, if any. Products keep their order within a shelf.
func Shelves(groups []ProductGroup, products []Product) []Shelf {
	out := make([]Shelf, len(groups))
	at := make(map[int64]int, len(groups))
	for i := range groups {
		out[i].Group = &groups[i]
		at[groups[i].ID] = i
	}
	var loose []Product
	for _, p := range products {
		if p.GroupID != nil {
			if i, ok := at[*p.GroupID]; ok {
				out[i].Products = append(out[i].Products, p)
				continue
			}
		}
		loose = append(loose, p)
	}
	if len(loose) > 0 {
		out = append(out, Shelf{Products: loose})
	}
	return out
}
