package catalog

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/hostflow/hostflow/fault"
	"github.com/hostflow/hostflow/order"
)

func TestProductGroups(t *testing.T) {
	cat, _ := productCatalog(t)
	ctx := context.Background()
	first := int32(-5)
	for _, tc := range []struct {
		name string
		g    NewProductGroup
		want []string // refused fields; nil: created
	}{
		{"a name", NewProductGroup{Name: "Shared Hosting"}, nil},
		{"hidden, first", NewProductGroup{Name: " Staff ", Hidden: true, Position: &first}, nil},
		{"no name", NewProductGroup{Name: " "}, []string{"name"}},
		{"a newline in the name", NewProductGroup{Name: "A\nB"}, []string{"name"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := cat.CreateProductGroup(ctx, tc.g)
			require.Equal(t, tc.want, fields(err), "%v", err)
		})
	}
	// Without a position a group goes after the last; the list is in the store's order.
	vps, err := cat.CreateProductGroup(ctx, NewProductGroup{Name: "VPS"})
	require.NoError(t, err)
	groups, err := cat.ProductGroups(ctx)
	require.NoError(t, err)
	var names []string
	for _, g := range groups {
		names = append(names, g.Name)
	}
	require.Equal(t, []string{"Staff", "Shared Hosting", "VPS"}, names)
	require.Greater(t, vps.Position, groups[1].Position)

	// An edit without a position keeps the group's place.
	edited, err := cat.UpdateProductGroup(ctx, vps.ID, NewProductGroup{Name: "Virtual Servers", Hidden: true})
	require.NoError(t, err)
	require.Equal(t, vps.Position, edited.Position)
	require.True(t, edited.Hidden)

	// A group with a product is not deleted; once empty, it is.
	p, err := cat.CreateProduct(ctx, NewProduct{Name: "VPS One", Type: order.Server, GroupID: &vps.ID, Prices: monthly("20", "")})
	require.NoError(t, err)
	err = cat.DeleteProductGroup(ctx, vps.ID)
	var se *fault.Error
	require.ErrorAs(t, err, &se)
	require.Equal(t, fault.Conflict, se.Kind)
	require.Equal(t, "The group Virtual Servers cannot be deleted: it holds 1 product. Move them to another group or delete them first.", se.Message)
	require.NoError(t, cat.DeleteProduct(ctx, p.ID))
	require.NoError(t, cat.DeleteProductGroup(ctx, vps.ID))
	_, err = cat.GetProductGroup(ctx, vps.ID)
	require.ErrorAs(t, err, &se)
	require.Equal(t, fault.NotFound, se.Kind)
	require.ErrorAs(t, cat.DeleteProductGroup(ctx, vps.ID), &se)
	require.Equal(t, fault.NotFound, se.Kind)
}

func TestShelves(t *testing.T) {
	a, b, gone := int64(1), int64(2), int64(3)
	groups := []ProductGroup{{ID: b, Name: "B"}, {ID: a, Name: "A"}}
	products := []Product{{ID: 10, GroupID: &a}, {ID: 11}, {ID: 12, GroupID: &b}, {ID: 13, GroupID: &a}, {ID: 14, GroupID: &gone}}
	var got [][]int64
	for _, sh := range Shelves(groups, products) {
		ids := []int64{0}
		if sh.Group != nil {
			ids[0] = sh.Group.ID
		}
		for _, p := range sh.Products {
			ids = append(ids, p.ID)
		}
		got = append(got, ids)
	}
	require.Equal(t, [][]int64{{b, 12}, {a, 10, 13}, {0, 11, 14}}, got, "groups in the order given, the rest last")
	require.Len(t, Shelves(groups, nil), 2, "an empty group is a shelf; no shelf for no loose products")
}
