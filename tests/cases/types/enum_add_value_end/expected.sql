ALTER TYPE app.order_status ADD VALUE 'delivered' AFTER 'shipped';
