ALTER TYPE app.order_status ADD VALUE 'draft' BEFORE 'pending';
ALTER TYPE app.order_status ADD VALUE 'packed' BEFORE 'shipped';
